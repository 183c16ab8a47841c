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
}
