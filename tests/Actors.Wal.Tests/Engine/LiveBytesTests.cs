using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>The incrementally maintained live bytes equal a full recomputation after any sequence of operations.</summary>
public sealed class LiveBytesTests : LogTestBase
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task GetStatistics_RandomWorkloadWithRotationCheckpointsDeletesAndCompaction_IncrementalEqualsRecomputed(int seed)
    {
        var random = new Random(seed);
        var versions = new Dictionary<string, long>();
        var deleted = new HashSet<string>();
        await using var log = await OpenAsync(o => o.CompactionLiveRatio = 0.5);
        for (int op = 0; op < 400; op++)
        {
            string stream = $"s{random.Next(12)}";
            long version = versions.GetValueOrDefault(stream);
            int kind = random.Next(10);
            if (kind < 6 || version == 0 || (kind < 9 && deleted.Contains(stream)))
            {
                var result = await log.AppendAsync(stream, version, [new byte[random.Next(10, 900)], new byte[random.Next(1, 50)]]);
                versions[stream] = result.LastVersion;
                deleted.Remove(stream);
            }
            else if (kind < 8)
            {
                await log.WriteCheckpointAsync(stream, version, new byte[random.Next(1, 200)]);
            }
            else if (kind < 9)
            {
                await log.DeleteStreamAsync(stream, version);
                deleted.Add(stream);
            }
            else
            {
                await log.CompactAsync();
            }

            if (op % 25 == 0)
            {
                var (incremental, recomputed) = log.CheckLiveBytes();
                Assert.True(incremental == recomputed, $"after op {op}: incremental live bytes {incremental}, recomputed {recomputed}");
            }
        }

        var final = log.CheckLiveBytes();
        Assert.True(final.Incremental == final.Recomputed, $"at the end: incremental {final.Incremental}, recomputed {final.Recomputed}");
        var stats = log.GetStatistics();
        Assert.True(stats.SegmentCount > 1 || stats.SegmentsDeleted > 0, "the workload should have rotated (and reclaimed) segments");
    }

    [Fact]
    public async Task OpenAsync_AfterCleanCloseAndAfterCrash_LiveBytesEqualTheLiveLog()
    {
        var random = new Random(4);
        long live;
        long total;
        var log = await OpenAsync(o => o.CompactionLiveRatio = 0);
        for (int op = 0; op < 300; op++)
        {
            string stream = $"s{random.Next(10)}";
            long version = log.GetStreamInfo(stream).Version;
            if (random.Next(5) == 0 && version > 0)
            {
                // Sometimes below the stream's version: such a checkpoint supersedes nothing.
                long checkpointed = log.GetStreamInfo(stream).CheckpointVersion;
                long target = random.Next(2) == 0 ? version : Math.Max(Math.Max(1, checkpointed), version - 1);
                await log.WriteCheckpointAsync(stream, target, new byte[random.Next(1, 300)]);
            }
            else
            {
                await log.AppendAsync(stream, version, [new byte[random.Next(10, 1500)]]);
            }
        }

        await log.CompactAsync(); // after the passes rotations queued: nothing changes between the figures and the close
        (live, total) = (log.GetStatistics().LiveBytes, log.GetStatistics().TotalBytes);
        await log.DisposeAsync();
        await using (var reopened = await OpenAsync(o => o.CompactionLiveRatio = 0))
        {
            Assert.Equal((live, total), (reopened.GetStatistics().LiveBytes, reopened.GetStatistics().TotalBytes));
            await reopened.AbandonAsync();
        }

        File.Delete(Dir.File("index.snapshot")); // a full scan rebuilds the runs from the records
        await using var scanned = await OpenAsync(o => o.CompactionLiveRatio = 0);
        Assert.Equal((live, total), (scanned.GetStatistics().LiveBytes, scanned.GetStatistics().TotalBytes));
    }
}
