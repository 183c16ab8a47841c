using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// Issue 65: the background space passes compare what a compaction would write (the whole live content of every stream
/// with records in the segment) with <see cref="WriteAheadLogOptions.CompactionLiveRatio"/>, not the segment's own live
/// bytes, so a keep-all journal whose newest events sit among overwritten states is not copied forward with its whole
/// history after every rotation. Figures are counted bytes, never times.
/// </summary>
public sealed class CompactionCopyCostTests : LogTestBase
{
    private const string Journal = "j/journal";
    private const int HistoryEvents = 100;
    private const int EventBytes = 400;

    [Fact]
    public async Task RotationPasses_KeepAllJournalAmongOverwrittenStates_JournalIsNotCopiedForward()
    {
        long historyBytes;
        int journalEvents;
        await using (var log = await OpenAsync(Configure))
        {
            journalEvents = await WriteHistoryAsync(log);
            historyBytes = log.GetStatistics().LiveBytes;
            // Over half a segment (64 KiB here), yet small enough for one copy (a larger one is never copied at all).
            Assert.InRange(historyBytes, 33 * 1024, 48 * 1024);

            // Each new segment: a few journal events among states that overwrite each other, so it falls far below the ratio
            // by its own bytes while the journal's history makes copying it cost more than the whole segment.
            journalEvents = await MixAsync(log, journalEvents, untilSegment: 14);

            var stats = log.GetStatistics();
            Assert.True(stats.CompactionBytesCopied < historyBytes, $"compaction copied {stats.CompactionBytesCopied} bytes, the journal's history is {historyBytes}: it was copied forward");
            Assert.True(stats.SegmentsLeftForCopyCost > 0, "no sparse segment was left for its copy cost: the scenario did not make one");
            Assert.Equal(journalEvents, (await log.ReadEventsAsync(Journal, 1, journalEvents)).Count);
        }

        await using var reopened = await OpenAsync(Configure);
        Assert.Equal(journalEvents, (await reopened.ReadEventsAsync(Journal, 1, journalEvents)).Count);
    }

    [Fact]
    public async Task CompactAsync_KeepAllJournalAmongOverwrittenStates_CopiesItAndKeepsEveryEvent()
    {
        await using (var log = await OpenAsync(Configure))
        {
            int journalEvents = await WriteHistoryAsync(log);
            journalEvents = await MixAsync(log, journalEvents, untilSegment: 8);
            long copiedBefore = log.GetStatistics().CompactionBytesCopied;

            var result = await log.CompactAsync();

            Assert.True(result.SegmentsCompacted > 0, "CompactAsync left the sparse segments in place");
            Assert.True(log.GetStatistics().SpacePasses >= 1, "the space pass CompactAsync ran was not counted");
            Assert.True(log.GetStatistics().CompactionBytesCopied - copiedBefore >= (long)HistoryEvents * EventBytes,
                "CompactAsync did not copy the journal's history forward");
            Assert.Equal(journalEvents, (await log.ReadEventsAsync(Journal, 1, journalEvents)).Count);
        }

        await using var reopened = await OpenAsync(Configure);
        Assert.Equal(HistoryEvents, (await reopened.ReadEventsAsync(Journal, 1, HistoryEvents)).Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RotationPasses_SegmentsPastTheTrimAge_AreCopiedOnlyWhenAStreamThereTrims(bool journalTrims)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));
        void Configure(WriteAheadLogOptions o)
        {
            o.RetainCheckpointedEvents = true;
            o.StreamRetention = id => id.StartsWith("s/", StringComparison.Ordinal) ? HistoryRetention.ReclaimAfterCheckpoint
                : journalTrims ? HistoryRetention.KeepFor(TimeSpan.FromDays(30)) : HistoryRetention.KeepAll;
            o.HistoryTrimAge = TimeSpan.FromHours(1);
        }

        await using var log = await OpenAsync(Configure, time: clock);
        int journalEvents = await WriteHistoryAsync(log);
        int other = 0;
        for (uint segment = 3; segment <= 6; segment++)
        {
            other = await FillJournalUntilAsync(log, "j/other", other, segment);
            if (segment == 4)
            {
                clock.Advance(TimeSpan.FromHours(2)); // the journal's first segments are past the trim age from here on
            }
        }

        var stats = log.GetStatistics();
        if (journalTrims)
        {
            // A policy that trims: the old segments are compacted (their copies leave out what it drops; here nothing yet).
            Assert.True(stats.CompactionBytesCopied >= (long)HistoryEvents * EventBytes, $"compaction copied {stats.CompactionBytesCopied} bytes: the segments past the trim age were not compacted");
        }
        else
        {
            // Keep-all journals only: nothing to trim, nothing sparse, so nothing is copied however old the segments are.
            Assert.Equal(0, stats.CompactionBytesCopied);
            Assert.Equal(0, stats.SegmentsCompacted);
        }

        Assert.Equal(journalEvents, (await log.ReadEventsAsync(Journal, 1, journalEvents)).Count);
    }

    /// <summary>Appends events of <paramref name="stream"/> (keep-all) until the log writes <paramref name="segment"/>, waiting for maintenance after each rotation.</summary>
    private static async Task<int> FillJournalUntilAsync(WriteAheadLog log, string stream, int version, uint segment)
    {
        uint current = log.GetSegmentSpace().Max(s => s.SegmentId);
        while (current < segment)
        {
            Assert.True(version < 100_000, "the log did not rotate");
            await log.AppendAsync(stream, version, [new byte[EventBytes]]);
            version++;
            uint now = log.GetSegmentSpace().Max(s => s.SegmentId);
            if (now != current)
            {
                await log.WhenMaintenanceIdleAsync();
                current = now;
            }
        }

        return version;
    }

    private static void Configure(WriteAheadLogOptions o)
    {
        o.RetainCheckpointedEvents = true;
        o.StreamRetention = id => id.StartsWith("s/", StringComparison.Ordinal) ? HistoryRetention.ReclaimAfterCheckpoint : HistoryRetention.KeepAll;
        o.CompactionLiveRatio = 0.5;
        o.MaxSparseCopySegments = 0;
    }

    private static async Task<int> WriteHistoryAsync(WriteAheadLog log)
    {
        for (int v = 0; v < HistoryEvents; v++)
        {
            await log.AppendAsync(Journal, v, [new byte[EventBytes]]);
        }

        return HistoryEvents;
    }

    /// <summary>
    /// Until the log writes <paramref name="untilSegment"/>: one journal event per ten state writes of 3,000 bytes, each
    /// followed by a small checkpoint of its state stream that makes its earlier records dead (the stream's policy reclaims). Waits for maintenance after each
    /// rotation. Returns the journal's version.
    /// </summary>
    private static async Task<int> MixAsync(WriteAheadLog log, int journalVersion, uint untilSegment)
    {
        var stateVersions = new long[4];
        uint current = log.GetSegmentSpace().Max(s => s.SegmentId);
        for (int write = 0; current < untilSegment; write++)
        {
            Assert.True(write < 100_000, "the log did not rotate");
            if (write % 10 == 0)
            {
                await log.AppendAsync(Journal, journalVersion, [new byte[EventBytes]]);
                journalVersion++;
            }

            int state = write % stateVersions.Length;
            await log.AppendAsync($"s/{state}", stateVersions[state], [new byte[3000]]);
            stateVersions[state]++;
            await log.WriteCheckpointAsync($"s/{state}", stateVersions[state], new byte[16]);
            uint now = log.GetSegmentSpace().Max(s => s.SegmentId);
            if (now != current)
            {
                await log.WhenMaintenanceIdleAsync();
                current = now;
            }
        }

        return journalVersion;
    }
}
