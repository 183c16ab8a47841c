using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// The commit path (writer and committer) never waits for maintenance's I/O: a recovery snapshot held in its fsync does
/// not hold back appends, stream checkpoints or rotations of other streams.
/// </summary>
public sealed class CommitPathIsolationTests : LogTestBase
{
    [Fact]
    public async Task AppendsAndCheckpoints_WhileTheRecoverySnapshotIsHeldInItsFsync_CommitAndRotate()
    {
        var files = new FaultInjectingFileSystem();
        using var gate = new ManualResetEventSlim(false);
        var log = await OpenAsync(o => o.CompactionLiveRatio = 0.5, files);
        try
        {
            files.GatedFilePrefix = RecoverySnapshotFile;
            files.FileGate = gate;
            long first = 0;
            while (log.GetStatistics().SegmentCount < 2)
            {
                Assert.True(first < 10_000, "the log did not rotate");
                await log.AppendAsync("first", first++, [new byte[3000]]);
            }

            // The rotation asked maintenance for a snapshot: it is now held in the snapshot's fsync.
            Assert.True(await files.FileGateEntered.WaitAsync(TimeSpan.FromSeconds(60)), "maintenance never wrote the snapshot");

            // Meanwhile other streams append and checkpoint through two more rotations; every call completes.
            var versions = new long[40];
            int rounds = 0;
            while (log.GetStatistics().SegmentCount < 4)
            {
                Assert.True(rounds++ < 1_000, "the log did not rotate twice more");
                for (int s = 0; s < versions.Length; s++)
                {
                    await log.AppendAsync($"s/{s}", versions[s], [new byte[200]]);
                    versions[s]++;
                    if (versions[s] % 4 == 0)
                    {
                        await log.WriteCheckpointAsync($"s/{s}", versions[s], new byte[2000]);
                    }
                }
            }

            Assert.False(gate.IsSet);
            Assert.False(log.IsFailed);
            Assert.True(log.DurableLsn >= log.WrittenLsn, "acknowledged records are not durable");
            gate.Set();
            await log.WhenMaintenanceIdleAsync();
            for (int s = 0; s < versions.Length; s++)
            {
                Assert.Equal(versions[s], (await log.ReadStreamAsync($"s/{s}")).Version);
            }
        }
        finally
        {
            gate.Set();
            await log.DisposeAsync();
        }

        await using var reopened = await OpenAsync();
        Assert.Equal(40, Enumerable.Range(0, 40).Count(s => reopened.GetStreamInfo($"s/{s}").Version > 0));
    }

    private const string RecoverySnapshotFile = "index.snapshot";
}
