using Actors.Wal.Format;
using Actors.Wal.Inspection;
using Actors.Wal.IO;
using Actors.Wal.Segments;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Inspection;

/// <summary>
/// The public inspection API: <see cref="LogInspector.Verify"/> classifies damage as recovery does (a torn tail only
/// above the durable claims, corruption below them, named by segment and offset) and <see cref="LogInspector.ReadRecords"/>
/// returns the records written, in order.
/// </summary>
public sealed class LogInspectorTests : LogTestBase
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Verify_CleanLog_ReportsNoFindingsAndTheStreamsTheEngineHas()
    {
        await WriteSegmentsAsync(crash: false);

        var report = LogInspector.Verify(Dir.Path);

        Assert.Empty(report.Findings);
        Assert.False(report.HasDamage(allowTornTail: false));
        Assert.Equal(LogDirectoryState.ClosedCleanly, report.State);
        Assert.Equal(Dir.Segments().Select(Path.GetFileName), report.Segments.Select(s => s.FileName));
        Assert.True(report.Segments.Count >= 3, $"expected at least 3 segments, found {report.Segments.Count}");
        Assert.All(report.Segments.SkipLast(1), s => Assert.True(s.IsSealed, $"segment {s.Id} should be sealed"));
        Assert.All(report.Segments, s => Assert.Equal(SegmentHeaderState.Ok, s.HeaderState));
        await using var log = await OpenAsync(o => o.ReadOnly = true);
        var statistics = log.GetStatistics();
        Assert.Equal(statistics.StreamCount, report.Streams.Count);
        Assert.Equal(statistics.TotalBytes, report.RecordBytes);
        Assert.Equal(statistics.LiveBytes, report.LiveBytes);
        foreach (var stream in report.Streams.Values)
        {
            Assert.Equal(log.GetStreamInfo(stream.Id).Version, stream.Version);
        }

        Assert.True(report.Streams["gone"].IsDeleted);
        Assert.Equal(2, report.Streams["a"].CheckpointVersion);
    }

    [Fact]
    public async Task Verify_TornTailAboveTheDurableClaims_ReportsATornTailAtItsOffset()
    {
        await WriteSegmentsAsync(crash: true);
        string last = Dir.Segments()[^1];
        var before = LogInspector.Verify(Dir.Path);
        var (offset, length) = StreamRecords(last)[^1];
        Assert.True(before.RecoveryPoint is { } point && (point.Segment < SegmentIdOf(last) || point.Offset <= offset),
            $"the last record (offset {offset}) should lie after the recovery point {before.RecoveryPoint}");
        using (var file = new FileStream(last, FileMode.Open))
        {
            file.SetLength(offset + (length / 2)); // the append was cut short by the crash
        }

        var report = LogInspector.Verify(Dir.Path);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(LogFindingKind.TornTail, finding.Kind);
        Assert.Equal(SegmentIdOf(last), finding.SegmentId);
        Assert.Equal(offset, finding.Offset);
        Assert.False(report.HasDamage(allowTornTail: true));
        Assert.True(report.HasDamage(allowTornTail: false));
        await using var log = await OpenAsync(o => o.ReadOnly = true);
        Assert.Equal(length / 2, log.GetStatistics().Recovery.TruncatedBytes);
    }

    [Fact]
    public async Task Verify_FlippedBitBelowTheDurableClaims_ReportsCorruptionNamingSegmentAndOffset()
    {
        // The last record of a cleanly closed log: with nothing valid after it, only the clean-shutdown snapshot's claim
        // tells its damage from a torn tail.
        await WriteSegmentsAsync(crash: false);
        string last = Dir.Segments()[^1];
        var (offset, length) = StreamRecords(last)[^1];
        FlipBit(last, offset + (length / 2));

        var report = LogInspector.Verify(Dir.Path);

        // The damaged record held the log's last LSN: the completeness check also says the snapshot's LSNs are not all there.
        var finding = Assert.Single(report.Findings, f => f.Kind == LogFindingKind.Corruption);
        Assert.DoesNotContain(report.Findings, f => f.Kind == LogFindingKind.TornTail);
        Assert.Contains(report.Findings, f => f.Kind == LogFindingKind.Missing && f.File == "index.snapshot");
        Assert.Equal(SegmentIdOf(last), finding.SegmentId);
        Assert.Equal(Path.GetFileName(last), finding.File);
        Assert.Equal(offset, finding.Offset);
        Assert.Contains("acknowledged data", finding.Message, StringComparison.Ordinal);
        Assert.True(report.HasDamage(allowTornTail: true));
        Assert.Equal(1, report.Segments[^1].DamagedRecords);
    }

    [Fact]
    public async Task Verify_FlippedBitInASealedSegment_ReportsCorruptionNamingSegmentAndOffset()
    {
        await WriteSegmentsAsync(crash: true);
        string first = Dir.Segments()[0];
        var (offset, length) = StreamRecords(first)[1];
        FlipBit(first, offset + (length / 2));

        var report = LogInspector.Verify(Dir.Path);

        var finding = Assert.Single(report.Findings, f => f.Kind == LogFindingKind.Corruption);
        Assert.Equal(SegmentIdOf(first), finding.SegmentId);
        Assert.Equal(offset, finding.Offset);
        Assert.DoesNotContain(report.Findings, f => f.Kind == LogFindingKind.TornTail);
    }

    [Fact]
    public async Task ReadRecords_AppendsCheckpointAndDeletion_ReturnsExactlyTheRecordsWrittenInOrder()
    {
        var time = new FakeTimeProvider(Start);
        await using (var log = await OpenAsync(time: time))
        {
            await log.AppendAsync("a", 0, Events("a1", "a2"));
            time.Advance(TimeSpan.FromSeconds(1));
            await log.AppendAsync("b", 0, Events("b1"));
            time.Advance(TimeSpan.FromSeconds(1));
            await log.AppendAsync("a", 2, Events("a3"));
            await log.WriteCheckpointAsync("a", 3, Bytes("state-a3"));
            await log.DeleteStreamAsync("b", 1);
        }

        var records = LogInspector.ReadRecords(Dir.Path).ToList();

        Assert.Equal(
            [("a", InspectedRecordType.Events, 1L, 2L), ("b", InspectedRecordType.Events, 1L, 1L), ("a", InspectedRecordType.Events, 3L, 3L),
                ("a", InspectedRecordType.Checkpoint, 3L, 3L), ("b", InspectedRecordType.Tombstone, 1L, 1L)],
            records.Select(r => (r.StreamId, r.Type, r.FirstVersion, r.LastVersion)).ToList());
        Assert.Equal([1L, 3L, 4L, 5L, 6L], records.Select(r => r.FirstLsn).ToList());
        Assert.Equal(["a1", "a2", "b1", "a3", "state-a3", ""], records.SelectMany(r => r.Items).Select(i => Text(i.Payload)).ToList());
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], records.SelectMany(r => r.Items).Select(i => i.Lsn).ToList());
        Assert.Equal([Start, Start.AddSeconds(1), Start.AddSeconds(2), Start.AddSeconds(2), Start.AddSeconds(2)], records.Select(r => r.Timestamp).ToList());
        Assert.All(records, r => Assert.False(r.IsEncrypted));
        Assert.Equal(records.Select(r => (r.SegmentId, r.Offset)).Order().ToList(), records.Select(r => (r.SegmentId, r.Offset)).ToList());
        Assert.Equal(StreamRecords(Dir.Segments()[0]).Select(r => r.Offset), records.Select(r => r.Offset));
    }

    [Fact]
    public void Verify_MissingDirectory_ThrowsDirectoryNotFound()
    {
        Assert.Throws<DirectoryNotFoundException>(() => LogInspector.Verify(Path.Combine(Dir.Path, "absent")));
    }

    /// <summary>
    /// Writes streams <c>a</c> (checkpointed at 2), <c>gone</c> (deleted) and <c>filler</c> until the log has three
    /// segments, then a few events into the last one after the maintenance the rotations asked for has run.
    /// </summary>
    private async Task WriteSegmentsAsync(bool crash)
    {
        var log = await OpenAsync(o => o.CompactionLiveRatio = 0);
        try
        {
            await log.AppendAsync("a", 0, Events("a1", "a2"));
            await log.WriteCheckpointAsync("a", 2, Bytes("{\"a\":2}"));
            await log.AppendAsync("gone", 0, Events("g1"));
            await log.DeleteStreamAsync("gone", 1);
            long version = await AppendUntilSegmentsAsync(log, "filler", 0, segments: 3, eventBytes: 1000);
            await log.WhenMaintenanceIdleAsync();
            for (int i = 0; i < 3; i++)
            {
                version = (await log.AppendAsync("filler", version, [new byte[300]])).LastVersion;
            }
        }
        finally
        {
            if (crash)
            {
                await log.AbandonAsync();
            }
            else
            {
                await log.DisposeAsync();
            }
        }
    }

    /// <summary>The offset and length of every valid stream record of a segment (the engine's own reader; seal excluded).</summary>
    private static List<(long Offset, int Length)> StreamRecords(string segmentPath)
    {
        var (file, reader) = LogFiles.OpenSegment(PhysicalFileSystem.Instance, segmentPath, 64 * 1024);
        using (file)
        {
            return reader.ReadAll().Where(r => r.Damage is null && r.Header.Type != RecordType.Seal).Select(r => (r.Offset, r.Header.Length)).ToList();
        }
    }

    private static uint SegmentIdOf(string path) => SegmentHeader.TryParseFileName(Path.GetFileName(path), out uint id) ? id : 0;

    private static void FlipBit(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        int b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ 0x10));
    }
}
