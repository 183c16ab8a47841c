using Actors.Wal.Reading;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// The read path's read-ahead (Reading/ReadAhead, ReadAheadWindow): a walk over a stream whose records lie close together
/// among other streams' records has the kernel read the region below it ahead, and still returns exactly the records, in
/// order, with the same failures (damage named by segment and offset; segments deleted by a space pass meanwhile). Read-ahead
/// serves plain walks (records without anchor positions, logs of format 4 and older): the reads that check it walk plainly
/// (<c>AnchoredWalks</c> off), and the same reads walking anchors must return the same records and failures.
/// </summary>
public sealed class ReadAheadTests : LogTestBase
{
    private const int LaterEvents = 300;
    private const int OthersPerEvent = 10;

    [Fact]
    public void Visit_RecordsCloseTogether_AdvisesContiguousGrowingRangesBelowTheWalk()
    {
        var window = new ReadAheadWindow();
        long offset = 64L << 20;
        var ranges = new List<(long Offset, long Length)>();
        for (int i = 0; i < 4_000; i++, offset -= 16 * 1024)
        {
            var range = window.Visit(7, offset, 200, runBytes: 0);
            if (range.Length > 0)
            {
                Assert.True(range.Offset + range.Length <= offset, $"advice [{range.Offset}, +{range.Length}) at or above the record at {offset}");
                ranges.Add(range);
            }
        }

        Assert.True(ranges.Count >= 6, $"only {ranges.Count} advices over a 64 MiB walk");
        Assert.Equal(((64L << 20) - 16 * 1024 - ReadAheadWindow.InitialLead, (long)ReadAheadWindow.InitialLead), ranges[0]); // after the second record
        for (int i = 1; i < ranges.Count; i++)
        {
            Assert.Equal(ranges[i - 1].Offset, ranges[i].Offset + ranges[i].Length); // contiguous, going down, no byte twice
        }

        Assert.Equal(Actors.Wal.Format.SegmentHeader.Size, ranges[^1].Offset);
        Assert.True(ranges.Max(r => r.Length) <= ReadAheadWindow.MaxLead, "a window above the largest lead");
        Assert.True(ranges[3].Length > ranges[1].Length, "windows do not grow");
    }

    [Fact]
    public void Visit_RecordsFarApart_AdvisesNothing()
    {
        var window = new ReadAheadWindow();
        long offset = 256L << 20;
        for (int i = 0; i < 1_000; i++, offset -= ReadAheadWindow.MaxDenseSpacing + 4096)
        {
            Assert.Equal(0, window.Visit(3, offset, 200, runBytes: 0).Length);
        }
    }

    [Fact]
    public void Visit_StreamLiveBytesInTheSegmentKnown_AdvisesLittleMoreThanTheWalkStillNeeds()
    {
        // 100 records of 200 B, 16 KiB apart: the walk needs ~1.6 MB below its first record; the index says 20,000 live bytes.
        var window = new ReadAheadWindow();
        long first = 32L << 20;
        long advised = 0;
        long lowest = long.MaxValue;
        for (int i = 0; i < 100; i++)
        {
            var range = window.Visit(5, first - i * 16 * 1024L, 200, runBytes: 100 * 200);
            advised += range.Length;
            lowest = range.Length > 0 ? Math.Min(lowest, range.Offset) : lowest;
        }

        long lastRecord = first - 99 * 16 * 1024L;
        Assert.True(lowest <= lastRecord, $"the advice stopped at {lowest}, above the walk's last record at {lastRecord}");
        Assert.True(lastRecord - lowest <= 2 * ReadAheadWindow.Margin, $"the advice went {lastRecord - lowest} bytes below the walk's last record");
        Assert.True(advised <= 100 * 16 * 1024L + 2 * ReadAheadWindow.Margin, $"advised {advised} bytes for a 1.6 MB walk");
    }

    [Fact]
    public void Visit_WalkMovesToAnotherSegment_StartsOverThere()
    {
        var window = new ReadAheadWindow();
        Assert.Equal(0, window.Visit(9, 1 << 20, 200, 0).Length);
        Assert.True(window.Visit(9, (1 << 20) - 1000, 200, 0).Length > 0, "no advice after two close records");
        Assert.Equal(0, window.Visit(8, 60 << 20, 200, 0).Length); // a new segment: one record is no evidence
        var range = window.Visit(8, (60 << 20) - 1000, 200, 0);
        Assert.Equal((60L << 20) - 1000 - ReadAheadWindow.InitialLead, range.Offset);
    }

    /// <summary>1 MiB segments; the long chain is what these tests read, so chain consolidation stays off.</summary>
    private static void LongChains(WriteAheadLogOptions options)
    {
        options.SegmentSizeBytes = 1 << 20;
        options.ConsolidateAfterRecords = 0;
    }

    [Fact]
    public async Task ReadStreamAsync_CheckpointThenEventsAmongOtherStreams_ReadsAheadAndReturnsExactlyTheRecordsInOrder()
    {
        await using (var log = await OpenAsync(LongChains))
        {
            await BuildAsync(log);
            await AssertReadsExactlyAsync(log);
        }

        // Reopened: the entry comes from the index snapshot, idle, and is checked against its latest record first.
        await using var reopened = await OpenAsync(LongChains);
        await AssertReadsExactlyAsync(reopened);
    }

    [Fact]
    public async Task ReadStreamAsync_DamagedRecordDeepInTheChain_ThrowsLogCorruptedNamingItsSegmentAndOffset()
    {
        await using (var log = await OpenAsync(LongChains))
        {
            await BuildAsync(log);
        }

        // Damage the payload of the event at version 60: the walk reaches it after ~250 records, read-ahead long engaged.
        var (path, recordOffset, payloadOffset) = FindEvent(60);
        FaultInjectingFileSystem.FlipBit(path, payloadOffset + 10);
        await using var reopened = await OpenAsync(LongChains);
        long before = reopened.ReadAheadStatistics.AdvisedBytes;

        reopened.AnchoredWalks = false;
        var latest = await Assert.ThrowsAsync<LogCorruptedException>(async () => await reopened.ReadStreamAsync("s", ReadBound.Latest));
        Assert.True(reopened.ReadAheadStatistics.AdvisedBytes > before, "precondition: the walk read ahead before it met the damage");
        reopened.AnchoredWalks = true;
        var anchored = await Assert.ThrowsAsync<LogCorruptedException>(async () => await reopened.ReadStreamAsync("s", ReadBound.Latest));
        var range = await Assert.ThrowsAsync<LogCorruptedException>(async () => await reopened.ReadEventsAsync("s", 11, 10 + LaterEvents));
        var forward = await Assert.ThrowsAsync<LogCorruptedException>(async () =>
        {
            await foreach (var stored in reopened.ReadStreamEventsAsync("s", 11))
            {
                Assert.True(stored.Version < 60, $"version {stored.Version} handed out from or after the damaged record");
            }
        });

        foreach (var error in new[] { latest, anchored, range, forward })
        {
            Assert.Equal(Path.GetFullPath(path), Path.GetFullPath(error.FilePath));
            Assert.Equal(recordOffset, error.Offset);
            Assert.Contains("CRC", error.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReadStreamAsync_SpacePassesDeleteSegmentsDuringTheReads_EveryReadReturnsTheWholeStream()
    {
        await using var log = await OpenAsync(o =>
        {
            o.SegmentSizeBytes = 1 << 20;
            o.CompactionLiveRatio = 0.9;
        });
        await BuildAsync(log);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        int reads = 0;
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                log.AnchoredWalks = Volatile.Read(ref reads) % 2 == 0; // anchored and plain walks in turn
                var result = await log.ReadStreamAsync("s", ReadBound.Latest);
                AssertWholeStream(result);
                Interlocked.Increment(ref reads);
            }
        });

        // Make the others' records dead (a checkpoint covering each other stream), then compact while the reads go on:
        // the space pass copies "s" forward and deletes the segments its walks are reading.
        int deleted = 0;
        for (int round = 0; round < 3 && !reader.IsCompleted; round++)
        {
            for (int other = round * OthersPerEvent / 3; other < (round + 1) * OthersPerEvent / 3; other++)
            {
                await log.WriteCheckpointAsync($"other/{other}", LaterEvents, new byte[8]);
            }

            int before = Volatile.Read(ref reads);
            deleted += (await log.CompactAsync()).SegmentsDeleted;
            await PollAsync(() => Volatile.Read(ref reads) > before || reader.IsCompleted, "a read after the space pass");
        }

        await stop.CancelAsync();
        await reader; // rethrows a wrong result or an unexpected error
        Assert.True(deleted > 0, "precondition: the space passes deleted segments during the reads");
        Assert.True(log.ReadAheadStatistics.AdvisedBytes > 0, "precondition: the reads read ahead");
        AssertWholeStream(await log.ReadStreamAsync("s", ReadBound.Latest));
    }

    /// <summary>
    /// "s": 10 events, a checkpoint at 10, then <see cref="LaterEvents"/> events, each after one ~1 KB event of each of
    /// <see cref="OthersPerEvent"/> other streams (records ~10 KB apart, across several 1 MiB segments).
    /// </summary>
    private static async Task BuildAsync(WriteAheadLog log)
    {
        for (int v = 0; v < 10; v++)
        {
            await log.AppendAsync("s", v, [Payload(v + 1)]);
        }

        await log.WriteCheckpointAsync("s", 10, Bytes("state@10"));
        for (int i = 0; i < LaterEvents; i++)
        {
            for (int other = 0; other < OthersPerEvent; other++)
            {
                await log.AppendAsync($"other/{other}", i, [new byte[1000]]);
            }

            await log.AppendAsync("s", 10 + i, [Payload(11 + i)]);
        }

        await log.FlushAsync();
    }

    private static ReadOnlyMemory<byte> Payload(long version) => Bytes($"event-{version:D5}-of-s-{new string('x', 80)}");

    private static void AssertWholeStream(StreamReadResult result)
    {
        Assert.Equal(10, result.Checkpoint?.Version);
        Assert.Equal("state@10", Text(result.Checkpoint!.State));
        Assert.Equal(Enumerable.Range(11, LaterEvents).Select(v => (long)v), result.Events.Select(e => e.Version));
        Assert.All(result.Events, e => Assert.Equal(Text(Payload(e.Version)), Text(e.Payload)));
    }

    private async Task AssertReadsExactlyAsync(WriteAheadLog log)
    {
        long before = log.ReadAheadStatistics.AdvisedBytes;
        log.AnchoredWalks = false;
        AssertWholeStream(await log.ReadStreamAsync("s", ReadBound.Latest));
        Assert.True(log.ReadAheadStatistics.AdvisedBytes > before, "precondition: the walk read ahead");
        log.AnchoredWalks = true;
        AssertWholeStream(await log.ReadStreamAsync("s", ReadBound.Latest));

        var range = await log.ReadEventsAsync("s", 11, 10 + LaterEvents);
        Assert.Equal(Enumerable.Range(11, LaterEvents).Select(v => Text(Payload(v))), range.Select(e => Text(e.Payload)));
        var forward = new List<string>();
        await foreach (var stored in log.ReadStreamEventsAsync("s", 1))
        {
            forward.Add(Text(stored.Payload));
        }

        Assert.Equal(Enumerable.Range(1, 10 + LaterEvents).Select(v => Text(Payload(v))), forward);
        foreach (bool anchoredWalk in new[] { false, true })
        {
            log.AnchoredWalks = anchoredWalk;
            var pointInTime = await log.ReadStreamAsync("s", ReadBound.AtVersion(150));
            Assert.Equal(10, pointInTime.Checkpoint?.Version);
            Assert.Equal(Enumerable.Range(11, 140).Select(v => (long)v), pointInTime.Events.Select(e => e.Version));
        }
    }

    /// <summary>The segment file, record offset and payload offset of "s"'s event <paramref name="version"/> (one event per record).</summary>
    private (string Path, long RecordOffset, long PayloadOffset) FindEvent(long version)
    {
        byte[] payload = Payload(version).ToArray();
        foreach (string file in Directory.GetFiles(Dir.Path, "*.wal"))
        {
            byte[] bytes = File.ReadAllBytes(file);
            int at = bytes.AsSpan().IndexOf(payload);
            if (at >= 0)
            {
                // Events record: 48-byte header, the stream id ("s"), then u32 payload length and the payload.
                return (file, at - 4 - 1 - 48, at);
            }
        }

        throw new InvalidOperationException($"event {version} not found in {Dir.Path}");
    }
}
