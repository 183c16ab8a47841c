using Actors.Wal.Recovery;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// A seeded random workload (appends, checkpoints, deletes, compaction, clean and crash reopen, snapshot loss)
/// checked against a simple model after every step. Exercises rotation, relocation and recovery together.
/// </summary>
public sealed class RandomizedWorkloadTests : LogTestBase
{
    /// <param name="seed">The workload's seed.</param>
    /// <param name="deltaMinStreams"><see cref="WriteAheadLogOptions.SnapshotDeltaMinStreams"/> (1: snapshots are deltas
    /// whenever few streams changed since the last full one). Whether a crash step meets a delta on disk depends on when
    /// the maintenance thread ran, so these cases do not promise a merge; <see cref="SnapshotDeltaTests"/> checks merges
    /// deterministically.</param>
    /// <param name="coldStreams">Streams besides the 8 the workload mostly uses, each picked one step in five.</param>
    [Theory]
    [InlineData(1, WriteAheadLogOptions.DefaultSnapshotDeltaMinStreams, 0)]
    [InlineData(2, WriteAheadLogOptions.DefaultSnapshotDeltaMinStreams, 0)]
    [InlineData(3, WriteAheadLogOptions.DefaultSnapshotDeltaMinStreams, 0)]
    [InlineData(4, 1, 40)]
    [InlineData(5, 1, 40)]
    [InlineData(6, 1, 40)]
    public async Task RandomWorkload_MatchesModel_AcrossCompactionAndReopen(int seed, int deltaMinStreams, int coldStreams)
    {
        var random = new Random(seed);
        var model = new Dictionary<string, ModelStream>();
        void Configure(WriteAheadLogOptions o)
        {
            o.CompactionLiveRatio = 0.6;
            o.SnapshotDeltaMinStreams = deltaMinStreams;
        }

        var log = await OpenAsync(Configure);
        try
        {
            for (int step = 0; step < 400; step++)
            {
                string stream = coldStreams > 0 && random.Next(5) == 0 ? $"c{random.Next(coldStreams)}" : $"s{random.Next(8)}";
                var m = model.TryGetValue(stream, out var found) ? found : model[stream] = new ModelStream();
                int op = random.Next(100);
                if (op < 60)
                {
                    int count = random.Next(1, 4);
                    var payloads = Enumerable.Range(0, count).Select(i => Bytes($"{stream}:{m.Version + i + 1}:" + new string('x', random.Next(10, 1500)))).ToArray();
                    await log.AppendAsync(stream, m.Version, payloads);
                    foreach (var p in payloads)
                    {
                        m.Version++;
                        m.Events.Add((m.Version, Text(p)));
                    }

                    m.Deleted = false;
                }
                else if (op < 75 && m.Version > m.BaseVersion && !m.Deleted)
                {
                    long version = random.Next((int)m.BaseVersion + 1, (int)m.Version + 1);
                    string state = $"cp:{stream}:{version}";
                    await log.WriteCheckpointAsync(stream, version, Bytes(state));
                    m.Checkpoint = (version, state);
                    m.BaseVersion = version;
                    m.Events.RemoveAll(e => e.Version <= version);
                }
                else if (op < 80)
                {
                    await log.DeleteStreamAsync(stream, m.Version);
                    m.Deleted = true;
                    m.Checkpoint = null;
                    m.BaseVersion = m.Version;
                    m.Events.Clear();
                }
                else if (op < 88)
                {
                    await log.CompactAsync();
                }
                else if (op < 94)
                {
                    await log.DisposeAsync();
                    if (random.Next(2) == 0)
                    {
                        File.Delete(Dir.File(RecoverySnapshot.FileName));
                    }

                    log = await OpenAsync(Configure);
                }
                else
                {
                    await log.AbandonAsync();
                    log = await OpenAsync(Configure);
                }

                foreach (var (id, expected) in model)
                {
                    await AssertMatchesAsync(log, id, expected, $"seed {seed}, step {step}");
                }
            }
        }
        finally
        {
            await log.DisposeAsync();
        }

    }

    private static async Task AssertMatchesAsync(WriteAheadLog log, string id, ModelStream expected, string where)
    {
        var read = await log.ReadStreamAsync(id);
        Assert.True(expected.Version == read.Version, $"{where}: {id} version expected {expected.Version}, read {read.Version}");
        Assert.True(expected.Deleted == read.IsDeleted, $"{where}: {id} deleted expected {expected.Deleted}");
        Assert.True(expected.Checkpoint?.Version == read.Checkpoint?.Version, $"{where}: {id} checkpoint expected {expected.Checkpoint?.Version}, read {read.Checkpoint?.Version}");
        if (expected.Checkpoint is { } cp)
        {
            Assert.Equal(cp.State, Text(read.Checkpoint!.State));
        }

        Assert.True(
            expected.Events.Select(e => e.Payload).SequenceEqual(read.Events.Select(e => Text(e.Payload))),
            $"{where}: {id} events expected [{string.Join(",", expected.Events.Select(e => e.Version))}], read [{string.Join(",", read.Events.Select(e => e.Version))}]");
        var info = log.GetStreamInfo(id);
        Assert.Equal(expected.Version, info.Version);
        Assert.Equal(expected.Deleted, info.IsDeleted);
        Assert.Equal(expected.Checkpoint?.Version ?? 0, info.CheckpointVersion);
    }

    private sealed class ModelStream
    {
        public long Version { get; set; }

        public long BaseVersion { get; set; }

        public bool Deleted { get; set; }

        public (long Version, string State)? Checkpoint { get; set; }

        public List<(long Version, string Payload)> Events { get; } = [];
    }
}
