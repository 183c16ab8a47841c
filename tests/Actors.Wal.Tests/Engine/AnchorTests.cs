using System.Buffers.Binary;
using Actors.Wal.Format;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// Anchor positions (docs/wal-format.md, "Record", flag bit 1): every read walking anchors returns exactly what the plain
/// back-pointer walk returns (the reference), across reopen, a crash, compaction, erase and checkpoints, and stays within
/// about N ÷ K + K dependent reads, which it can only do when the anchors written (and learned again after a reopen) are
/// right. A damaged anchor is <see cref="LogCorruptedException"/> naming the segment and the record that carries it.
/// </summary>
public sealed class AnchorTests : LogTestBase
{
    private const int K = RecordHeader.AnchorInterval;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadStreamAsync_AcrossReopenCrashCompactionEraseAndCheckpoints_MatchesThePlainWalkInAboutNOverKPlusKReads(bool retain)
    {
        void Configure(WriteAheadLogOptions o)
        {
            o.RetainCheckpointedEvents = retain;
            o.ConsolidateAfterRecords = 0;
        }

        long version = 0;
        int other = 0;
        async Task AppendAsync(WriteAheadLog log, int count)
        {
            for (int i = 0; i < count; i++)
            {
                version = (await log.AppendAsync("s", version, Events($"s-{version + 1}"))).LastVersion;
                await log.AppendAsync($"other/{other++ % 50}", ExpectedVersion.Any, [new byte[1500]]);
            }
        }

        await using (var log = await OpenAsync(Configure))
        {
            await AppendAsync(log, 5);
            await log.WriteCheckpointAsync("s", version, Bytes($"state@{version}"));
            await AppendAsync(log, 45);
            await AssertAnchoredAsync(log, walked: 46);
            Assert.True(Dir.Segments().Length >= 2, "precondition: the stream spans segments");
        }

        await using (var log = await OpenAsync(Configure))
        {
            await AssertAnchoredAsync(log, walked: 46); // written before the reopen
            await AppendAsync(log, 7); // the writer learns the anchor from the latest record (an idle stream's first use)
            await AssertAnchoredAsync(log, walked: 53);
            await AppendAsync(log, 3);
            await log.FlushAsync();
            await log.AbandonAsync(); // a crash: no clean shutdown, no snapshot of the last records
        }

        await using (var log = await OpenAsync(Configure))
        {
            await AssertAnchoredAsync(log, walked: 56);
            await log.WriteCheckpointAsync("s", version - 20, Bytes($"state@{version - 20}")); // below the version: not a walk's end
            await AppendAsync(log, 12);
            await AssertSameBothWaysAsync(log);
            await log.WriteCheckpointAsync("s", version, Bytes($"state@{version}"));
            await AppendAsync(log, 24);
            await AssertAnchoredAsync(log, walked: 25);
            await log.CompactAsync();
            await AssertSameBothWaysAsync(log);
            await log.DeleteEventsToAsync("s", version - 10); // an erase: a copy starts a fresh chain
            await AppendAsync(log, 23);
            await AssertSameBothWaysAsync(log);
            Assert.True(log.LastWalkSequentialReads <= 24 / K + K + 1, $"{log.LastWalkSequentialReads} dependent reads after an erase and 23 appends");
        }

        await using (var log = await OpenAsync(Configure))
        {
            await AssertSameBothWaysAsync(log);
        }
    }

    [Theory]
    [InlineData("another stream")]
    [InlineData("forwards")]
    [InlineData("off the chain")]
    public async Task ReadStreamAsync_AnchorRewrittenWithAValidCrc_ThrowsLogCorruptedNamingTheSegmentAndTheRecord(string where)
    {
        await using (var log = await OpenAsync())
        {
            for (int v = 0; v < 15; v++)
            {
                await log.AppendAsync("x", v, Events($"x-{v + 1}"));
                await log.AppendAsync("s", v, Events($"s-{v + 1}"));
            }
        }

        string path = Dir.File(SegmentHeader.FileName(1));
        byte[] bytes = File.ReadAllBytes(path);
        var records = Records(bytes);
        var head = records.Last(r => r.Stream == "s");
        Assert.True(head.Header.HasAnchor, "precondition: the stream's latest record carries an anchor");
        long anchor = RecordCodec.ReadAnchor(head.Header, bytes.AsSpan(head.Offset, head.Header.Length));
        long bad = where switch
        {
            "another stream" => LogPosition.Create(1, records.Last(r => r.Stream == "x" && LogPosition.Create(1, r.Offset) < anchor).Offset),
            "forwards" => LogPosition.Create(1, head.Offset),
            _ => anchor - 1, // between records: never met by the back-pointers
        };
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(head.Offset + head.Header.Length - RecordHeader.AnchorSize), bad);
        RecordCodec.SealCrc(bytes.AsSpan(head.Offset, head.Header.Length), salt: 1);
        File.WriteAllBytes(path, bytes);

        await using var reopened = await OpenAsync();
        var error = await Assert.ThrowsAsync<LogCorruptedException>(async () => await reopened.ReadStreamAsync("s"));
        Assert.Equal(Path.GetFullPath(path), Path.GetFullPath(error.FilePath));
        Assert.Equal(head.Offset, error.Offset);
        Assert.Contains("anchor", error.Reason, StringComparison.Ordinal);
        reopened.AnchoredWalks = false;
        Assert.Equal(15, (await reopened.ReadStreamAsync("s")).Events.Count); // the pointer only misleads anchored walks
    }

    [Theory]
    [InlineData("out of order")]
    [InlineData("another stream")]
    [InlineData("below the anchor")]
    public async Task ReadStreamAsync_SpanPositionRewrittenWithAValidCrc_ThrowsLogCorruptedNamingTheSegmentAndTheAnchor(string where)
    {
        await using (var log = await OpenAsync())
        {
            for (int v = 0; v < 25; v++)
            {
                await log.AppendAsync("x", v, Events($"x-{v + 1}"));
                await log.AppendAsync("s", v, Events($"s-{v + 1}"));
            }
        }

        string path = Dir.File(SegmentHeader.FileName(1));
        byte[] bytes = File.ReadAllBytes(path);
        var stream = Records(bytes).Where(r => r.Stream == "s").ToList();
        var carrier = stream[20]; // chain index 21: an anchor carrying the positions of 12 .. 20
        Assert.True(carrier.Header.HasSpan, "precondition: the anchor at chain index 21 carries span positions");
        int spanAt = carrier.Offset + carrier.Header.Length - RecordHeader.AnchorSize - RecordHeader.SpanSize;
        for (int i = 0; i < RecordHeader.SpanPositions; i++)
        {
            Assert.Equal(LogPosition.Create(1, stream[11 + i].Offset), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(spanAt + (i * 8))));
        }

        var x = Records(bytes).Where(r => r.Stream == "x").ToList();
        (int index, long bad) = where switch
        {
            "out of order" => (4, LogPosition.Create(1, stream[17].Offset)),
            "another stream" => (4, LogPosition.Create(1, x[15].Offset)), // in order, between the stream's 15th and 16th
            _ => (0, LogPosition.Create(1, stream[3].Offset)),
        };
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(spanAt + (index * 8)), bad);
        RecordCodec.SealCrc(bytes.AsSpan(carrier.Offset, carrier.Header.Length), salt: 1);
        File.WriteAllBytes(path, bytes);

        await using var reopened = await OpenAsync();
        var error = await Assert.ThrowsAsync<LogCorruptedException>(async () => await reopened.ReadStreamAsync("s"));
        Assert.Equal(Path.GetFullPath(path), Path.GetFullPath(error.FilePath));
        Assert.Equal(carrier.Offset, error.Offset);
        Assert.Contains("span position", error.Reason, StringComparison.Ordinal);
        reopened.SpanPositionReads = false;
        Assert.Equal(25, (await reopened.ReadStreamAsync("s")).Events.Count); // the positions only mislead span position reads
    }

    [Fact]
    public async Task AppendAsync_IdleStreamAfterReopen_NextRecordCarriesTheAnchorLearnedFromItsLatestRecord()
    {
        await using (var log = await OpenAsync())
        {
            for (int v = 0; v < 13; v++)
            {
                await log.AppendAsync("s", v, Events($"s-{v + 1}")); // chain indexes 1 .. 13: 12 and 13 carry the anchor at 11
            }
        }

        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("s", 13, Events("s-14")); // the writer takes "s" up idle: its latest record (13) is no anchor
        }

        byte[] bytes = File.ReadAllBytes(Dir.File(SegmentHeader.FileName(1)));
        var records = Records(bytes).Where(r => r.Stream == "s").ToList();
        Assert.Equal(14, records.Count);
        long AnchorOf(int index) => RecordCodec.ReadAnchor(records[index].Header, bytes.AsSpan(records[index].Offset, records[index].Header.Length));
        long eleventh = LogPosition.Create(1, records[10].Offset);
        Assert.Equal(eleventh, AnchorOf(12));
        Assert.True(records[13].Header.HasAnchor, "the record appended after the reopen carries no anchor");
        Assert.Equal(eleventh, AnchorOf(13));
        Assert.Equal(LogPosition.Create(1, records[0].Offset), AnchorOf(10)); // the anchor at 11 carries the one at 1
        Assert.False(records[0].Header.HasAnchor, "the stream's first record (chain index 1, a walk's end) carries an anchor");
    }

    [Fact]
    public async Task AppendAsync_IdleStreamTakenUpBetweenAnchors_SpanPositionsOnlyWhereKnownAndAlwaysTheRecordsBefore()
    {
        await using (var log = await OpenAsync())
        {
            for (int v = 0; v < 13; v++)
            {
                await log.AppendAsync("s", v, Events($"s-{v + 1}"));
            }
        }

        await using (var log = await OpenAsync())
        {
            for (int v = 13; v < 33; v++)
            {
                await log.AppendAsync("s", v, Events($"s-{v + 1}")); // taken up idle at chain index 13: 12 and 13 are not known
            }

            await AssertSameBothWaysAsync(log);
        }

        byte[] bytes = File.ReadAllBytes(Dir.File(SegmentHeader.FileName(1)));
        var records = Records(bytes).Where(r => r.Stream == "s").ToList();
        Assert.Equal(33, records.Count);
        Assert.True(records[10].Header.HasSpan, "the anchor at chain index 11, written in one run, carries no span positions");
        Assert.False(records[13].Header.HasSpan, "the first record after the stream was taken up idle carries span positions it cannot know");
        Assert.Contains(records.Skip(14), r => r.Header.HasSpan);
        var positions = new long[RecordHeader.SpanPositions];
        for (int i = 0; i < records.Count; i++)
        {
            if (RecordCodec.ReadSpan(records[i].Header, bytes.AsSpan(records[i].Offset, records[i].Header.Length), positions))
            {
                // The records right before it in the stream, oldest first, and its anchor the one before them.
                Assert.Equal(Enumerable.Range(i - RecordHeader.SpanPositions, RecordHeader.SpanPositions).Select(j => LogPosition.Create(1, records[j].Offset)), positions);
                Assert.Equal(LogPosition.Create(1, records[i - K].Offset), RecordCodec.ReadAnchor(records[i].Header, bytes.AsSpan(records[i].Offset, records[i].Header.Length)));
            }
        }

        await using var reopened = await OpenAsync();
        Assert.Equal(Enumerable.Range(1, 33).Select(v => $"s-{v}"), (await reopened.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
    }

    /// <summary>The anchored read returns what the plain walk returns, in at most N ÷ K + K + 1 dependent reads.</summary>
    private static async Task AssertAnchoredAsync(WriteAheadLog log, int walked)
    {
        await AssertSameBothWaysAsync(log);
        log.AnchoredWalks = true;
        await log.ReadStreamAsync("s");
        int bound = (walked / K) + K + 1;
        Assert.True(log.LastWalkSequentialReads <= bound, $"{log.LastWalkSequentialReads} dependent reads for {walked} records (at most {bound} expected)");
    }

    /// <summary>Latest and point-in-time reads of "s", walking anchors and plainly, agree exactly (or fail alike).</summary>
    private static async Task AssertSameBothWaysAsync(WriteAheadLog log)
    {
        long top = (await log.ReadStreamAsync("s")).Version;
        foreach (var bound in new[] { ReadBound.Latest, ReadBound.AtVersion(top - 3), ReadBound.AtVersion(top - 17), ReadBound.AtVersion(top / 2), ReadBound.AtVersion(3) })
        {
            log.AnchoredWalks = false;
            string plain = await DescribeAsync(log, bound);
            log.AnchoredWalks = true;
            string anchored = await DescribeAsync(log, bound);
            Assert.Equal(plain, anchored);
        }
    }

    private static async Task<string> DescribeAsync(WriteAheadLog log, ReadBound bound)
    {
        try
        {
            var r = await log.ReadStreamAsync("s", bound);
            string checkpoint = r.Checkpoint is { } c ? $"{c.Version}:{Text(c.State)}" : "none";
            return $"v{r.Version} deleted={r.IsDeleted} checkpoint={checkpoint} events={string.Join(",", r.Events.Select(e => $"{e.Version}:{Text(e.Payload)}"))}";
        }
        catch (EventsReclaimedException ex)
        {
            return $"reclaimed: {ex.Message}";
        }
    }

    private static List<(int Offset, RecordHeader Header, string Stream)> Records(byte[] bytes)
    {
        var records = new List<(int, RecordHeader, string)>();
        int offset = SegmentHeader.Size;
        while (offset + RecordHeader.Size <= bytes.Length && RecordHeader.TryRead(bytes.AsSpan(offset), bytes.Length - offset, out var header, out _)
            && RecordCodec.CrcMatches(bytes.AsSpan(offset, header.Length), salt: 1))
        {
            records.Add((offset, header, System.Text.Encoding.UTF8.GetString(bytes, offset + RecordHeader.Size, header.StreamIdLength)));
            offset += header.Length;
        }

        return records;
    }
}
