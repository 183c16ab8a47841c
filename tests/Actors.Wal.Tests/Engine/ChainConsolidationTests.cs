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
    public async Task Consolidation_AppendsWhileTheCopyIsRead_CopyCatchesUpWithExactlyTheNewEvents()
    {
        using var gate = new ManualResetEventSlim(false);
        await using (var log = await OpenOnFilesAsync(o => o.ConsolidateAfterRecords = Threshold))
        {
            await WriteChainBelowThresholdAsync(log);
            Files.NextSegmentReadGate = gate;
            await log.AppendAsync(Target, Threshold - 1, Events($"e{Threshold}")); // the chain reaches 32: a copy is read
            await Files.SegmentReadGateEntered.WaitAsync();

            // While maintenance reads the chain (held at its first read), the stream gains three records, four events.
            long version = (await log.AppendAsync(Target, Threshold, Events($"e{Threshold + 1}"))).LastVersion;
            version = (await log.AppendAsync(Target, version, Events($"e{version + 1}", $"e{version + 2}"))).LastVersion;
            version = (await log.AppendAsync(Target, version, Events($"e{version + 1}"))).LastVersion;
            gate.Set();
            await log.WhenMaintenanceIdleAsync();

            Assert.Equal(1, log.GetStatistics().ChainsConsolidated);
            await AssertTargetAsync(log, tail: (int)version - 1);
            var (incremental, recomputed) = log.CheckLiveBytes();
            Assert.Equal(recomputed, incremental);
        }

        // The one copy holds the checkpoint and then every later event once, in version order, each with its own LSN.
        var copy = Assert.Single(LogInspector.ReadRecords(Dir.Path), r => r.StreamId == Target && r.Type == InspectedRecordType.Relocated);
        Assert.Equal(InspectedRecordType.Checkpoint, copy.Items[0].Kind);
        Assert.Equal(Enumerable.Range(2, Threshold + 3).Select(v => (long)v), copy.Items.Skip(1).Select(i => i.Version));
        Assert.Equal(copy.Items.Count, copy.Items.Select(i => i.Lsn).Distinct().Count());
        Assert.Equal(Enumerable.Range(2, Threshold + 3).Select(v => $"e{v}"), copy.Items.Skip(1).Select(i => Text(i.Payload)));
        await using var reopened = await OpenAsync(o => o.ConsolidateAfterRecords = Threshold);
        await AssertTargetAsync(reopened, tail: Threshold + 3);
    }

    [Theory]
    [InlineData("checkpoint")]
    [InlineData("delete")]
    [InlineData("erase")]
    public async Task Consolidation_StreamRewrittenWhileTheCopyIsRead_CopyDroppedAndTheRewriteStands(string rewrite)
    {
        using var gate = new ManualResetEventSlim(false);
        await using (var log = await OpenOnFilesAsync(o => o.ConsolidateAfterRecords = Threshold))
        {
            await WriteChainBelowThresholdAsync(log);
            Files.NextSegmentReadGate = gate;
            await log.AppendAsync(Target, Threshold - 1, Events($"e{Threshold}"));
            await Files.SegmentReadGateEntered.WaitAsync();
            await log.AppendAsync(Target, Threshold, Events($"e{Threshold + 1}"));
            switch (rewrite)
            {
                case "checkpoint":
                    await log.WriteCheckpointAsync(Target, Threshold + 1, Bytes("state-33"));
                    break;
                case "delete":
                    await log.DeleteStreamAsync(Target, Threshold + 1);
                    break;
                default:
                    await log.DeleteEventsToAsync(Target, 20);
                    break;
            }

            gate.Set();
            await log.WhenMaintenanceIdleAsync();
            Assert.Equal(0, log.GetStatistics().ChainsConsolidated);
            await AssertRewriteStandsAsync(log, rewrite);
        }

        await using var reopened = await OpenAsync(o => o.ConsolidateAfterRecords = Threshold);
        await AssertRewriteStandsAsync(reopened, rewrite);
    }

    [Fact]
    public async Task Consolidation_SegmentReadFails_LogFailsAndMaintenanceStillAnswers()
    {
        await using var log = await OpenOnFilesAsync(o => o.ConsolidateAfterRecords = Threshold);
        await WriteChainBelowThresholdAsync(log);
        Files.FailSegmentReads = true;
        await log.AppendAsync(Target, Threshold - 1, Events($"e{Threshold}")); // acknowledged; the copy's read then fails
        await log.WhenMaintenanceIdleAsync(); // maintenance survived the failure and still answers

        Assert.True(log.GetStatistics().IsFailed, "a read error in the background fails the log, as in a space pass");
        Assert.Equal(0, log.GetStatistics().ChainsConsolidated);
        await Assert.ThrowsAsync<LogFailedException>(async () => await log.AppendAsync(Target, Threshold, Events("refused")));
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
            // Copies race with the writers' own appends and lose some; a stream that stayed quiet is copied on a retry
            // (which may still run while the log is open: the live bytes are compared after reopening).
            await PollAsync(() => log.GetStatistics().ChainsConsolidated > 0, "the writers' chains should have been consolidated");
            await AssertStreamsAsync(log, logged);
        }

        await using var reopened = await OpenAsync(o => o.ConsolidateAfterRecords = 8);
        await AssertStreamsAsync(reopened, logged);
        var (incremental, recomputed) = reopened.CheckLiveBytes();
        Assert.Equal(recomputed, incremental);
    }

    /// <summary>The target's first event and checkpoint, then events up to a chain one record short of the threshold.</summary>
    private static async Task WriteChainBelowThresholdAsync(WriteAheadLog log)
    {
        await log.AppendAsync(Target, ExpectedVersion.NoStream, Events("e1"));
        await log.WriteCheckpointAsync(Target, 1, Bytes("state-1"));
        for (int v = 1; v < Threshold - 1; v++)
        {
            await log.AppendAsync(Target, v, Events($"e{v + 1}"));
        }
    }

    /// <summary>What the target reads after <paramref name="rewrite"/> ran while its copy was being read.</summary>
    private static async Task AssertRewriteStandsAsync(WriteAheadLog log, string rewrite)
    {
        var read = await log.ReadStreamAsync(Target);
        switch (rewrite)
        {
            case "checkpoint":
                Assert.Equal(Threshold + 1, read.Checkpoint!.Version);
                Assert.Equal("state-33", Text(read.Checkpoint.State));
                Assert.Empty(read.Events);
                break;
            case "delete":
                Assert.True(log.GetStreamInfo(Target).IsDeleted);
                Assert.Null(read.Checkpoint);
                Assert.Empty(read.Events);
                break;
            default:
                Assert.Equal(Enumerable.Range(21, Threshold + 1 - 20).Select(v => $"e{v}"), read.Events.Select(e => Text(e.Payload)));
                await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadEventsAsync(Target, 2, 20));
                break;
        }

        Assert.Equal(Threshold + 1, read.Version);
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
