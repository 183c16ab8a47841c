using Actors.Wal.Format;
using Actors.Wal.Recovery;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// The commit path (writer and committer) never waits for maintenance's I/O: a recovery snapshot held in its fsync does
/// not hold back appends, stream checkpoints or rotations of other streams; and the manifest write that lists a new
/// segment as live holds back nothing (recovery and backup find the segment without it).
/// </summary>
public sealed class CommitPathIsolationTests : LogTestBase
{
    [Fact]
    public async Task AppendsAndCheckpoints_WhileTheRecoverySnapshotIsHeldInItsFsync_CommitAndRotate()
    {
        using var gate = new ManualResetEventSlim(false);
        var log = await OpenOnFilesAsync(o => o.CompactionLiveRatio = 0.5);
        try
        {
            Files.GatedFilePrefix = RecoverySnapshotFile;
            Files.FileGate = gate;
            await AppendUntilSegmentsAsync(log, "first", 0, 2, 3000);

            // The rotation asked maintenance for a snapshot: it is now held in the snapshot's fsync.
            Assert.True(await Files.FileGateEntered.WaitAsync(TimeSpan.FromSeconds(60)), "maintenance never wrote the snapshot");

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

    [Fact]
    public async Task Commit_RotationWhileTheManifestWriteIsHeld_AcknowledgesTheNewSegmentsGroupsAndACrashImageAndABackupKeepThem()
    {
        using var image = new TempDirectory();
        using var backup = new TempDirectory();
        await CrashImageWithAcknowledgedRecordsInAListedSpareAsync(image, backup);

        // The manifest in the image lists the second segment as a spare: recovery finds it after the sealed first one,
        // holding records, and recovers it as the next segment.
        var manifest = SegmentManifest.TryParse(File.ReadAllBytes(image.File(SegmentManifest.FileName)), out _, out _, out _);
        Assert.NotNull(manifest);
        Assert.Equal(ManifestState.Spare, manifest.Segments.Single(e => e.Id == 2).State);
        foreach (string dir in new[] { image.Path, backup.Path })
        {
            await using var reopened = await OpenAsync(o => o.Directory = dir);
            Assert.Equal(["y"], (await reopened.ReadStreamAsync("y")).Events.Select(e => Text(e.Payload)));
            Assert.Equal(1, reopened.GetStreamInfo("z").Version);
            Assert.Equal(15_000, (await reopened.ReadStreamAsync("z")).Events.Single().Payload.Length);
            Assert.Equal(1, reopened.GetStreamInfo("after").Version);
        }
    }

    [Fact]
    public async Task OpenAsync_ListedSpareHoldsAcknowledgedRecordsAndItsFirstIsDamaged_RefusesInsteadOfDroppingThem()
    {
        // A sector zeroed inside the first record ("z", 15,000 bytes of 0x5A) of a segment the manifest still lists as a
        // spare (the process stopped before the manifest write that lists it as live), with a valid record after it: the segment holds
        // acknowledged records, so opening must report the damage. Taking it for an unused spare would drop "z" and
        // "after" without a word (the damage matrix found this).
        using var image = new TempDirectory();
        await CrashImageWithAcknowledgedRecordsInAListedSpareAsync(image, backup: null);
        string second = image.File(SegmentHeader.FileName(2));
        byte[] bytes = File.ReadAllBytes(second);
        Array.Clear(bytes, 512, 512);
        File.WriteAllBytes(second, bytes);

        var error = await Assert.ThrowsAsync<LogCorruptedException>(async () => await OpenAsync(o => o.Directory = image.Path));
        Assert.Contains(SegmentHeader.FileName(2), error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A crash image (and, when asked, an online backup) of a log whose second segment holds acknowledged records ("z",
    /// 15,000 bytes, at its start; then "after") while the manifest on disk still lists it as a spare.
    /// </summary>
    private async Task CrashImageWithAcknowledgedRecordsInAListedSpareAsync(TempDirectory image, TempDirectory? backup)
    {
        using var fsyncGate = new ManualResetEventSlim(false);
        using var manifestGate = new ManualResetEventSlim(false);
        var log = await OpenOnFilesAsync();
        try
        {
            await log.WhenSpareSettledAsync();
            long filler = 0;
            while (log.GetSegmentSpace()[^1].RecordBytes < 50 * 1024)
            {
                await log.AppendAsync("filler", filler++, [new byte[3000]]); // the first segment ends 11 to 14 KiB later
            }

            // The committer holds x's group in its fdatasync; meanwhile the writer writes y (a group of the first
            // segment), then z, which does not fit: the rotation's group seals the first segment and starts the second.
            // Every manifest written until the fsync is released lists the second segment as a spare (its predecessor's
            // seal is not durable yet).
            Files.FsyncGate = fsyncGate;
            var x = log.AppendAsync("x", 0, Events("x")).AsTask();
            Assert.True(await Files.FsyncEntered.WaitAsync(TimeSpan.FromSeconds(60)), "the committer never synced x");
            long written = log.GetStatistics().AppendedRecords;
            var y = log.AppendAsync("y", 0, Events("y")).AsTask();
            await PollAsync(() => log.GetStatistics().AppendedRecords == written + 1, "y was not written");
            var z = log.AppendAsync("z", 0, [Enumerable.Repeat((byte)0x5A, 15_000).ToArray()]).AsTask();
            await PollAsync(() => log.GetStatistics().AppendedRecords == written + 2, "z was not written");
            Assert.Equal(2, log.GetStatistics().SegmentCount);

            // Every manifest write from now on is held in its fsync (the manifest on disk stays as it is); the next sync
            // covers y and z.
            Files.GatedFilePrefix = "segments.manifest";
            Files.FileGate = manifestGate;
            Files.FsyncGate = null;
            fsyncGate.Set();

            Assert.True(await Files.FileGateEntered.WaitAsync(TimeSpan.FromSeconds(60)), "no manifest write was held");
            await x.WaitAsync(TimeSpan.FromSeconds(60));
            await y.WaitAsync(TimeSpan.FromSeconds(60));
            await z.WaitAsync(TimeSpan.FromSeconds(60)); // acknowledged while the manifest write is held
            await log.AppendAsync("after", 0, Events("after"));
            Assert.False(manifestGate.IsSet);

            // What a process crash leaves now (the files as they are; without the recovery snapshot, whose recovery point
            // may lie in the second segment and would adopt it by itself), and an online backup taken now.
            foreach (string file in Directory.GetFiles(Dir.Path).Where(f => Path.GetFileName(f) is not (WriteAheadLog.LockFileName or RecoverySnapshotFile or RecoverySnapshotTempFile)))
            {
                using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var output = File.Create(image.File(Path.GetFileName(file)));
                input.CopyTo(output);
            }

            if (backup is not null)
            {
                LogBackup.Backup(Dir.Path, backup.Path);
            }
        }
        finally
        {
            Files.FsyncGate = null;
            fsyncGate.Set();
            manifestGate.Set();
            await log.DisposeAsync();
        }
    }

    private const string RecoverySnapshotFile = "index.snapshot";

    // A snapshot being written (renamed to RecoverySnapshotFile when done): it can vanish between the listing and the copy.
    private const string RecoverySnapshotTempFile = RecoverySnapshotFile + ".tmp";
}
