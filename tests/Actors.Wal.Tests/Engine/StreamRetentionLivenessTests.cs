using Actors.Wal.Format;
using Actors.Wal.Recovery;
using Actors.Wal.Tests.Conformance;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// Per-stream liveness in a log that retains checkpointed events (<see cref="WriteAheadLogOptions.StreamRetention"/>): a
/// checkpoint of a stream whose policy is <see cref="HistoryRetention.ReclaimAfterCheckpoint"/> supersedes the records it
/// covers at once, as in a log that reclaims, so the space passes delete and compact their segments without waiting for
/// <see cref="WriteAheadLogOptions.HistoryTrimAge"/>; a <see cref="HistoryRetention.KeepAll"/> stream in the same segments
/// keeps every event. The clock never moves: no segment is ever older than the trim age.
/// </summary>
public sealed class StreamRetentionLivenessTests : FileScanTestBase
{
    private const string State = "s/x";
    private const string Journal = "j/a";
    private const int StateVersions = 120;
    private const int CheckpointEvery = 20;

    [Fact]
    public async Task CompactAsync_ReclaimAfterCheckpointStreamInALogThatRetains_DeletesItsOldSegmentsWithoutWaitingForTheTrimAge()
    {
        var clock = new ConformanceTimeProvider();
        int journalEvents;
        await using (var log = await OpenAsync(o => Configure(o, retainSegments: 0), time: clock))
        {
            journalEvents = await WriteAsync(log, 1);
            await log.WhenMaintenanceIdleAsync();
            uint active = ActiveSegment(log);
            Assert.True(active >= 3, $"the writes filled {active - 1} segments, expected at least 2");

            await log.CompactAsync();
            await log.WhenMaintenanceIdleAsync();

            AssertOldSegmentsGone(log, active);
            Assert.True(log.GetStatistics().SegmentsDeleted >= active - 1, $"deleted {log.GetStatistics().SegmentsDeleted} segments, expected at least {active - 1}");
            AssertStateWritesOnlyInTheActiveSegment(log, StateVersions);

            await AssertReadsAsync(log, StateVersions, journalEvents);
        }

        await using var reopened = await OpenAsync(o => Configure(o, retainSegments: 0), time: clock);
        await AssertReadsAsync(reopened, StateVersions, journalEvents);
        await reopened.AppendAsync(State, StateVersions, [Payload(StateMarker(StateVersions + 1))]);
        Assert.Equal(StateVersions + 1, (await reopened.ReadStreamAsync(State)).Version);
    }

    [Fact]
    public async Task OpenAsync_ReclaimAfterCheckpointStreamAfterACrashOrAFullScan_RebuildsTheSameLiveBytesAndCompactionDeletesTheOldSegments()
    {
        var clock = new ConformanceTimeProvider();

        // Phase 1: segments are kept (audit retention) so that only the liveness decides; a crash leaves a snapshot taken
        // at a rotation and records after it for recovery to replay onto entries loaded without their ids.
        IReadOnlyList<(uint, long)> beforeCrash;
        await using (var log = await OpenAsync(o => Configure(o, retainSegments: 1000), time: clock))
        {
            await WriteAsync(log, 1);
            await log.WhenMaintenanceIdleAsync();
            beforeCrash = LiveBytes(log);
            AssertSealedSegmentsMostlyDead(log);
            await log.AbandonAsync();
        }

        // Phase 2: recovery from the crash; then more versions on top of the recovered entries, and a clean close.
        IReadOnlyList<(uint, long)> beforeClose;
        int journalEvents;
        await using (var log = await OpenAsync(o => Configure(o, retainSegments: 1000), time: clock))
        {
            Assert.False(log.GetStatistics().Recovery.CleanShutdown);
            Assert.Equal(beforeCrash, LiveBytes(log));
            journalEvents = await WriteAsync(log, StateVersions + 1);
            await log.WhenMaintenanceIdleAsync();
            beforeClose = LiveBytes(log);
            AssertSealedSegmentsMostlyDead(log);
        }

        // Phase 3: a full scan (no snapshot) applies every record with the writer's rule: the same live bytes.
        File.Delete(Dir.File(RecoverySnapshot.FileName));
        await using (var log = await OpenAsync(o => Configure(o, retainSegments: 1000), time: clock))
        {
            Assert.Equal(beforeClose, LiveBytes(log));
        }

        // Phase 4: without the audit retention the passes delete what the policy no longer needs, and nothing else.
        File.Delete(Dir.File(RecoverySnapshot.FileName));
        await using var reopened = await OpenAsync(o => Configure(o, retainSegments: 0), time: clock);
        await reopened.WhenMaintenanceIdleAsync();
        uint active = ActiveSegment(reopened);
        await reopened.CompactAsync();
        await reopened.WhenMaintenanceIdleAsync();

        AssertOldSegmentsGone(reopened, active);
        AssertStateWritesOnlyInTheActiveSegment(reopened, 2 * StateVersions);
        await AssertReadsAsync(reopened, 2 * StateVersions, journalEvents);
    }

    [Fact]
    public async Task AppendAsync_ManyRecordsOfAStream_AsksItsPolicyOnceAndNotPerRecord()
    {
        var calls = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        void Counting(WriteAheadLogOptions o)
        {
            Configure(o, retainSegments: 0);
            o.StreamRetention = id =>
            {
                calls.AddOrUpdate(id, 1, static (_, n) => n + 1);
                return id.StartsWith("s/", StringComparison.Ordinal) ? HistoryRetention.ReclaimAfterCheckpoint : HistoryRetention.KeepAll;
            };
        }

        await using (var log = await OpenAsync(Counting))
        {
            for (int v = 1; v <= 50; v++)
            {
                await log.AppendAsync(State, v - 1, Events($"s{v}"));
                await log.WriteCheckpointAsync(State, v, Bytes($"state-{v}"));
                await log.AppendAsync(Journal, v - 1, Events($"j{v}"));
            }

            Assert.Equal(1, log.GetStatistics().SegmentCount); // no rotation: no space pass asked either
            Assert.Equal([(Journal, 1), (State, 1)], calls.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value)));
        }

        // Reopened: the entries load from the snapshot without their decision, which is made again on first use.
        calls.Clear();
        await using var reopened = await OpenAsync(Counting);
        await reopened.AppendAsync(State, 50, Events("s51"));
        await reopened.AppendAsync(State, 51, Events("s52"));
        Assert.Equal([(State, 1)], calls.Select(c => (c.Key, c.Value)));
    }

    /// <summary>State writes of <see cref="State"/> (an event per version, a checkpoint every <see cref="CheckpointEvery"/>
    /// versions and at the newest) with a journal event of <see cref="Journal"/> every fourth version; returns the journal's
    /// version.</summary>
    private static async Task<int> WriteAsync(WriteAheadLog log, int fromVersion)
    {
        long journal = (await log.ReadStreamAsync(Journal)).Version;
        int last = fromVersion + StateVersions - 1;
        for (int v = fromVersion; v <= last; v++)
        {
            await log.AppendAsync(State, v - 1, [Payload(StateMarker(v))]);
            if (v % CheckpointEvery == 0 || v == last)
            {
                await log.WriteCheckpointAsync(State, v, Payload($"state-{v:D4}"));
            }

            if (v % 4 == 0)
            {
                journal = (await log.AppendAsync(Journal, journal, [Bytes(JournalMarker((int)journal + 1))])).LastVersion;
            }
        }

        return (int)journal;
    }

    private static async Task AssertReadsAsync(WriteAheadLog log, int stateVersion, int journalEvents)
    {
        var state = await log.ReadStreamAsync(State);
        Assert.Equal(stateVersion, state.Version);
        Assert.Equal(stateVersion, state.Checkpoint!.Version);
        Assert.StartsWith($"state-{stateVersion:D4}", Text(state.Checkpoint.State), StringComparison.Ordinal);
        Assert.Empty(state.Events);

        // The covered events are reclaimed: a read of them throws, naming the oldest still stored (those in the active
        // segment, which no pass compacts yet), and those still stored read whole: never a silent gap.
        var reclaimed = await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadEventsAsync(State, 1, stateVersion));
        long oldest = reclaimed.OldestAvailableVersion;
        Assert.InRange(oldest, stateVersion - StateVersions + 2, stateVersion + 1);
        Assert.Equal(
            Enumerable.Range((int)oldest, stateVersion - (int)oldest + 1).Select(StateMarker),
            (await log.ReadEventsAsync(State, oldest, stateVersion)).Select(e => Text(e.Payload)[..StateMarker(0).Length]));

        var journal = await log.ReadEventsAsync(Journal, 1, journalEvents);
        Assert.Equal(Enumerable.Range(1, journalEvents).Select(JournalMarker), journal.Select(e => Text(e.Payload)));
        Assert.Equal(journalEvents, (await log.ReadStreamAsync(Journal)).Events.Count);
    }

    private void AssertOldSegmentsGone(WriteAheadLog log, uint active)
    {
        var remaining = log.GetSegmentSpace().Select(s => s.SegmentId).ToList();
        Assert.True(remaining.All(id => id >= active), $"segments before {active} remain: {string.Join(", ", remaining)}");
        for (uint id = 1; id < active; id++)
        {
            Assert.False(File.Exists(Dir.File(SegmentHeader.FileName(id))), $"segment {id} (before the active {active}) is still on disk");
        }
    }

    /// <summary>
    /// The superseded state writes are in no file but the active segment's (a pass never compacts the segment being
    /// written); the oldest, written in the first segment, are in none.
    /// </summary>
    private void AssertStateWritesOnlyInTheActiveSegment(WriteAheadLog log, int stateVersion)
    {
        string active = SegmentHeader.FileName(ActiveSegment(log));
        AssertInNoFile(StateMarker(1));
        for (int v = 1; v <= stateVersion; v++)
        {
            var files = FilesWithMarker(StateMarker(v));
            Assert.True(files.All(f => Path.GetFileName(f) == active), $"state write {v} is still in {string.Join(", ", files)} (active: {active})");
        }
    }

    /// <summary>Every sealed segment holds superseded state writes and a few journal events: far below half live.</summary>
    private static void AssertSealedSegmentsMostlyDead(WriteAheadLog log)
    {
        var sealedSegments = log.GetSegmentSpace().Where(s => s.IsSealed).ToList();
        Assert.NotEmpty(sealedSegments);
        foreach (var segment in sealedSegments)
        {
            Assert.True(segment.LiveRatio < 0.5, $"segment {segment.SegmentId}: {segment.LiveBytes} of {segment.RecordBytes} bytes live");
        }
    }

    private static IReadOnlyList<(uint, long)> LiveBytes(WriteAheadLog log)
        => [.. log.GetSegmentSpace().Select(s => (s.SegmentId, s.LiveBytes))];

    private static uint ActiveSegment(WriteAheadLog log) => log.GetSegmentSpace().Single(s => !s.IsSealed).SegmentId;

    private static void Configure(WriteAheadLogOptions o, int retainSegments)
    {
        o.RetainCheckpointedEvents = true;
        o.StreamRetention = id => id.StartsWith("s/", StringComparison.Ordinal) ? HistoryRetention.ReclaimAfterCheckpoint : HistoryRetention.KeepAll;
        o.RecycleSegments = false; // reclaimed bytes must leave every file, not wait in a file kept for reuse
        o.RetainSegmentCount = retainSegments;
    }

    private static string StateMarker(int version) => $"SX-{version:D4}|";

    private static string JournalMarker(int version) => $"JA-{version:D4}|";

    private static ReadOnlyMemory<byte> Payload(string marker) => Bytes(marker + new string('.', 1500));
}
