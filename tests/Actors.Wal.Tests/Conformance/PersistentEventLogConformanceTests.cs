using System.Text;

namespace Actors.Wal.Tests.Conformance;

/// <summary>
/// The conformance suite plus what a log that survives its process must show: after a clean close and reopen,
/// every stream reads exactly as before (payloads, versions, LSNs, timestamps, checkpoints, tombstones), and
/// numbering continues where it stopped.
/// </summary>
public abstract class PersistentEventLogConformanceTests : EventLogConformanceTests
{
    /// <summary>Closes <paramref name="log"/> cleanly (dispose) and opens a new instance on the same storage.</summary>
    protected abstract ValueTask<IEventLog> ReopenAsync(IEventLog log);

    /// <summary>Reopens <paramref name="log"/> and tracks the new instance for disposal.</summary>
    protected async Task<IEventLog> ReopenTrackedAsync(IEventLog log)
    {
        var reopened = await ReopenAsync(log);
        Track(reopened);
        return reopened;
    }

    [Fact]
    public async Task ReopenAsync_AfterAppendsCheckpointsAndDeletes_EveryReadIsUnchanged()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "plain", 5);
        await AppendNumberedAsync(log, "checkpointed", 6);
        Clock.Advance(TimeSpan.FromSeconds(7));
        await log.WriteCheckpointAsync("checkpointed", 4, Bytes("state@4"));
        await log.AppendAsync("batched", 0, [Array.Empty<byte>(), Filled("big", MaxRecordSizeBytes), Bytes("x")]);
        Clock.Advance(TimeSpan.FromSeconds(7));
        await AppendNumberedAsync(log, "deleted", 3);
        await log.DeleteStreamAsync("deleted", 3);
        await AppendNumberedAsync(log, "recreated", 2);
        await log.WriteCheckpointAsync("recreated", 2, Bytes("old"));
        await log.DeleteStreamAsync("recreated", 2);
        Clock.Advance(TimeSpan.FromSeconds(7));
        await AppendNumberedAsync(log, "recreated", 2, startVersion: 2);
        string[] streams = ["plain", "checkpointed", "batched", "deleted", "recreated", "never"];
        string before = await DescribeAsync(log, streams);
        var infos = streams.Select(log.GetStreamInfo).ToArray();
        long writtenBefore = log.WrittenLsn;

        var reopened = await ReopenTrackedAsync(log);

        Assert.Equal(before, await DescribeAsync(reopened, streams));
        Assert.Equal(infos, streams.Select(reopened.GetStreamInfo).ToArray());
        Assert.True(reopened.WrittenLsn >= writtenBefore, $"WrittenLsn went back from {writtenBefore} to {reopened.WrittenLsn} across a reopen");
        var next = await reopened.AppendAsync("plain", 5, Batch("p6"));
        Assert.Equal(6, next.FirstVersion);
        Assert.True(next.LastLsn > writtenBefore, $"the first LSN after reopening ({next.LastLsn}) must exceed every earlier one ({writtenBefore})");
    }

    [Fact]
    public async Task ReopenAsync_DeletedStream_KeepsVersionAndNextAppendMustExpectIt()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 4);
        await log.DeleteStreamAsync("s", 4);

        var reopened = await ReopenTrackedAsync(log);

        Assert.Equal(new StreamInfo(4, 0, true), reopened.GetStreamInfo("s"));
        await Assert.ThrowsAsync<StreamVersionConflictException>(() => reopened.AppendAsync("s", ExpectedVersion.NoStream, Batch("x")).AsTask());
        var next = await reopened.AppendAsync("s", 4, Batch("p5"));
        Assert.Equal(5, next.FirstVersion);
        AssertRead(await reopened.ReadStreamAsync("s"), null, null, 5, ["p5"], 5);
    }

    [Fact]
    public async Task ReopenAsync_ManyStreamsBeyondOneSegment_EveryStreamComplete()
    {
        const int Streams = 30;
        const int EventsPerStream = 10;
        const int EventSize = 700;
        var log = await NewLogAsync();
        for (int round = 0; round < EventsPerStream / 2; round++)
        {
            for (int s = 0; s < Streams; s++)
            {
                int v = (round * 2) + 1;
                await log.AppendAsync($"s{s}", v - 1, [Filled($"s{s}-v{v}", EventSize), Filled($"s{s}-v{v + 1}", EventSize)]);
            }
        }

        await log.WriteCheckpointAsync("s0", 6, Bytes("s0@6"));

        var reopened = await ReopenTrackedAsync(log);
        reopened = await ReopenTrackedAsync(reopened);

        for (int s = 0; s < Streams; s++)
        {
            var read = await reopened.ReadStreamAsync($"s{s}");
            Assert.Equal(EventsPerStream, read.Version);
            long first = s == 0 ? 7 : 1;
            Assert.Equal(EventsPerStream - first + 1, read.Events.Count);
            for (int i = 0; i < read.Events.Count; i++)
            {
                Assert.Equal(first + i, read.Events[i].Version);
                Assert.Equal(Filled($"s{s}-v{first + i}", EventSize), read.Events[i].Payload.ToArray());
            }
        }

        Assert.Equal("s0@6", Text((await reopened.ReadStreamAsync("s0")).Checkpoint!.State));
    }

    [Fact]
    public async Task ReopenAsync_PointInTimeReadsByTime_StillSeeHistory()
    {
        var log = await NewLogAsync();
        DateTimeOffset t0 = Clock.GetUtcNow();
        await log.AppendAsync("s", 0, Batch("p1"));
        Clock.Advance(TimeSpan.FromMinutes(1));
        await log.AppendAsync("s", 1, Batch("p2"));
        DateTimeOffset t2 = Clock.Advance(TimeSpan.FromMinutes(1));
        await log.WriteCheckpointAsync("s", 2, Bytes("state@2"));

        var reopened = await ReopenTrackedAsync(log);

        AssertRead(await reopened.ReadStreamAsync("s", ReadBound.AtTime(t0)), null, null, 1, ["p1"], 1);
        AssertRead(await reopened.ReadStreamAsync("s", ReadBound.AtTime(t2)), 2, "state@2", 3, [], 2);
        AssertRead(await reopened.ReadStreamAsync("s", ReadBound.AtVersion(1)), null, null, 1, ["p1"], 1);
    }

    [Fact]
    public async Task DeleteCheckpointsAsync_ThenReopen_OnlyTheSelectedCheckpointsAreGone()
    {
        var log = await NewLogAsync();
        await WriteCheckpointsElevenToFifteenAsync(log, "one");
        await WriteCheckpointsElevenToFifteenAsync(log, "range");
        await log.DeleteCheckpointsAsync("one", CheckpointSelectionCriteria.AtVersion(13));
        await log.DeleteCheckpointsAsync("range", new CheckpointSelectionCriteria(MinVersion: 11, MaxVersion: 13));

        var reopened = await ReopenTrackedAsync(log);

        await AssertCheckpointsElevenToFifteenAsync(reopened, "one", kept: [11, 12, 14, 15]);
        await AssertCheckpointsElevenToFifteenAsync(reopened, "range", kept: [14, 15]);
    }

    /// <summary>A deterministic text of everything the log returns for <paramref name="streams"/>, for equality checks.</summary>
    protected async Task<string> DescribeAsync(IEventLog log, IEnumerable<string> streams)
    {
        var text = new StringBuilder();
        foreach (string stream in streams)
        {
            var latest = await log.ReadStreamAsync(stream);
            text.AppendLine(Describe(latest));
            for (long v = 0; v <= latest.Version; v++)
            {
                text.AppendLine($"  at v{v}: {Describe(await log.ReadStreamAsync(stream, ReadBound.AtVersion(v)))}");
            }

            text.AppendLine($"  at {Clock.GetUtcNow():O}: {Describe(await log.ReadStreamAsync(stream, ReadBound.AtTime(Clock.GetUtcNow())))}");
            long firstLive = Math.Max(latest.Checkpoint?.Version ?? 0, latest.IsDeleted ? latest.Version : 0) + 1;
            foreach (var e in await log.ReadEventsAsync(stream, firstLive, long.MaxValue))
            {
                text.AppendLine($"  raw {DescribeEvent(e)}");
            }
        }

        return text.ToString();
    }

    private static string Describe(StreamReadResult read)
    {
        string checkpoint = read.Checkpoint is { } c
            ? $"cp(v{c.Version} lsn{c.Lsn} {c.Timestamp.UtcTicks} {Convert.ToHexString(c.State.Span)})"
            : "no-cp";
        return $"{read.StreamId} v{read.Version} deleted={read.IsDeleted} {checkpoint} [{string.Join(", ", read.Events.Select(DescribeEvent))}]";
    }

    private static string DescribeEvent(StoredEvent e) =>
        $"v{e.Version} lsn{e.Lsn} {e.Timestamp.UtcTicks} {(e.Payload.Length > 16 ? $"{e.Payload.Length}B:{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(e.Payload.Span))}" : Convert.ToHexString(e.Payload.Span))}";
}
