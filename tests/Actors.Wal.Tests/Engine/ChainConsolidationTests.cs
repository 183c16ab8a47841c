using Actors.Wal.Inspection;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// Chain consolidation (<see cref="WriteAheadLogOptions.ConsolidateAfterRecords"/>): a stream whose read walks many
/// records back to its checkpoint is copied forward as one record, reads the same before and after, and stays bounded.
/// </summary>
public sealed class ChainConsolidationTests : LogTestBase
{
    private const string Target = "target";
    private const int Threshold = 32;

    [Fact]
    public async Task ReadStreamAsync_CheckpointThenLongTail_ConsolidatedAndReadsTheSameBeforeAndAfterReopen()
    {
        await using (var log = await OpenAsync(o => o.ConsolidateAfterRecords = Threshold))
        {
            await WriteScatteredTailAsync(log, tail: 100);
            await log.WhenMaintenanceIdleAsync();

            var statistics = log.GetStatistics();
            Assert.Equal(3, statistics.ChainsConsolidated); // the chain reached 32 three times (1 + 3 x 31 records later)
            await AssertTargetAsync(log, tail: 100);
            var (incremental, recomputed) = log.CheckLiveBytes();
            Assert.Equal(recomputed, incremental);
        }

        var (copies, walked) = ChainOnDisk();
        Assert.Equal(3, copies);
        Assert.InRange(walked, 1, Threshold - 1);
        await using var reopened = await OpenAsync(o => o.ConsolidateAfterRecords = Threshold);
        await AssertTargetAsync(reopened, tail: 100);
    }

    [Fact]
    public async Task ConsolidateAfterRecords_Zero_NothingCopiedAndTheReadWalksEveryRecord()
    {
        await using (var log = await OpenAsync(o => o.ConsolidateAfterRecords = 0))
        {
            await WriteScatteredTailAsync(log, tail: 100);
            await log.WhenMaintenanceIdleAsync();
            Assert.Equal(0, log.GetStatistics().ChainsConsolidated);
            await AssertTargetAsync(log, tail: 100);
        }

        var (copies, walked) = ChainOnDisk();
        Assert.Equal(0, copies);
        Assert.Equal(101, walked);
    }

    [Fact]
    public async Task Consolidation_StreamWithoutCheckpoint_NotCopied()
    {
        await using var log = await OpenAsync(o => o.ConsolidateAfterRecords = Threshold);
        for (int v = 0; v < 3 * Threshold; v++)
        {
            await log.AppendAsync(Target, v, Events($"e{v + 1}"));
        }

        await log.WhenMaintenanceIdleAsync();
        Assert.Equal(0, log.GetStatistics().ChainsConsolidated);
        Assert.Equal(3 * Threshold, (await log.ReadStreamAsync(Target)).Events.Count);
    }

    [Fact]
    public async Task Consolidation_CopyLargerThanTheLimit_SkippedAndCounted()
    {
        await using var log = await OpenAsync(o =>
        {
            o.ConsolidateAfterRecords = Threshold;
            o.ConsolidationMaxBytes = 4096;
        });
        await log.AppendAsync(Target, ExpectedVersion.NoStream, Events("e1"));
        await log.WriteCheckpointAsync(Target, 1, Bytes("state-1"));
        for (int v = 1; v <= Threshold; v++)
        {
            await log.AppendAsync(Target, v, [new byte[200]]); // 32 x 200 B: more than 4 KiB to copy
        }

        await log.WhenMaintenanceIdleAsync();
        var statistics = log.GetStatistics();
        Assert.Equal(0, statistics.ChainsConsolidated);
        Assert.Equal(1, statistics.ConsolidationsSkipped);
        Assert.Equal(Threshold, (await log.ReadStreamAsync(Target)).Events.Count);
    }

    [Fact]
    public async Task Consolidation_LogRetainsCheckpointedEvents_NeverCopies()
    {
        await using var log = await OpenAsync(o =>
        {
            o.ConsolidateAfterRecords = Threshold;
            o.RetainCheckpointedEvents = true;
        });
        await WriteScatteredTailAsync(log, tail: 2 * Threshold);
        await log.WhenMaintenanceIdleAsync();
        Assert.Equal(0, log.GetStatistics().ChainsConsolidated);
        await AssertTargetAsync(log, tail: 2 * Threshold);
    }

    [Fact]
    public async Task Consolidation_ConcurrentWritersAndCheckpoints_EveryStreamReadsWhatWasAcknowledged()
    {
        const int streams = 4;
        const int eventsPerStream = 400;
        var logged = new List<string>[streams];
        await using (var log = await OpenAsync(o => o.ConsolidateAfterRecords = 8))
        {
            await Task.WhenAll(Enumerable.Range(0, streams).Select(s => Task.Run(async () =>
            {
                string id = $"c{s}";
                logged[s] = [];
                for (int v = 0; v < eventsPerStream; v++)
                {
                    await log.AppendAsync(id, v, Events($"{id}-{v + 1}"));
                    logged[s].Add($"{id}-{v + 1}");
                    if (v % 150 == 10)
                    {
                        await log.WriteCheckpointAsync(id, v + 1, Bytes($"state-{v + 1}"));
                    }
                }
            })));
            // Copies race with the writers' own appends and lose some; a stream that stayed quiet is copied on a retry.
            await PollAsync(() => log.GetStatistics().ChainsConsolidated > 0, "the writers' chains should have been consolidated");
            await AssertStreamsAsync(log, logged);
            var (incremental, recomputed) = log.CheckLiveBytes();
            Assert.Equal(recomputed, incremental);
        }

        await using var reopened = await OpenAsync(o => o.ConsolidateAfterRecords = 8);
        await AssertStreamsAsync(reopened, logged);
    }

    /// <summary>Every stream reads its last checkpoint and then exactly the events logged after it.</summary>
    private static async Task AssertStreamsAsync(WriteAheadLog log, List<string>[] logged)
    {
        for (int s = 0; s < logged.Length; s++)
        {
            var read = await log.ReadStreamAsync($"c{s}");
            long checkpoint = read.Checkpoint!.Version;
            Assert.Equal($"state-{checkpoint}", Text(read.Checkpoint.State));
            Assert.Equal(logged[s].Skip((int)checkpoint), read.Events.Select(e => Text(e.Payload)));
            Assert.Equal(logged[s].Count, read.Version);
        }
    }

    /// <summary>
    /// The target's first event and checkpoint, then <paramref name="tail"/> events, each after three other streams'
    /// events, so the target's records lie apart.
    /// </summary>
    private static async Task WriteScatteredTailAsync(WriteAheadLog log, int tail)
    {
        await log.AppendAsync(Target, ExpectedVersion.NoStream, Events("e1"));
        await log.WriteCheckpointAsync(Target, 1, Bytes("state-1"));
        for (int i = 0; i < tail; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                await log.AppendAsync($"other-{i}-{k}", ExpectedVersion.NoStream, Events("x"));
            }

            await log.AppendAsync(Target, i + 1, Events($"e{i + 2}"));
            await log.WhenMaintenanceIdleAsync(); // a consolidation requested now runs before the next append (no race)
        }
    }

    private static async Task AssertTargetAsync(WriteAheadLog log, int tail)
    {
        var read = await log.ReadStreamAsync(Target);
        Assert.Equal(1, read.Checkpoint!.Version);
        Assert.Equal("state-1", Text(read.Checkpoint.State));
        Assert.Equal(Enumerable.Range(2, tail).Select(v => $"e{v}"), read.Events.Select(e => Text(e.Payload)));
        Assert.Equal(tail + 1, read.Version);
    }

    /// <summary>
    /// On disk (the log closed): how many relocated copies of the target there are, and how many records a read of its
    /// latest state walks (the newest copy or checkpoint, and the events after it).
    /// </summary>
    private (int Copies, int Walked) ChainOnDisk()
    {
        var records = LogInspector.ReadRecords(Dir.Path).Where(r => r.StreamId == Target).ToList();
        int copies = records.Count(r => r.Type == InspectedRecordType.Relocated);
        int start = records.FindLastIndex(r => r.Type is InspectedRecordType.Relocated or InspectedRecordType.Checkpoint);
        int eventsAfter = records.Skip(start + 1).Count(r => r.Type == InspectedRecordType.Events);
        return (copies, eventsAfter + 1);
    }
}
