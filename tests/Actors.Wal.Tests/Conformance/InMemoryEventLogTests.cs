using System.Text;

namespace Actors.Wal.Tests.Conformance;

/// <summary>What <see cref="InMemoryEventLog"/> documents beyond the shared conformance suite.</summary>
public sealed class InMemoryEventLogTests
{
    private static IReadOnlyList<ReadOnlyMemory<byte>> Batch(params string[] payloads) =>
        payloads.Select(p => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(p)).ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Constructor_MaxRecordSizeBelowOne_ThrowsArgumentOutOfRange(int maxRecordSizeBytes)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryEventLog(maxRecordSizeBytes));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryEventLog(new InMemoryEventLogOptions { MaxRecordSizeBytes = maxRecordSizeBytes }));
    }

    [Fact]
    public async Task Constructor_Defaults_UseEngineRecordLimitAndSystemClock()
    {
        await using var log = new InMemoryEventLog();
        DateTimeOffset before = DateTimeOffset.UtcNow;

        await log.AppendAsync("s", 0, [new byte[WriteAheadLogOptions.DefaultMaxRecordSizeBytes]]);
        DateTimeOffset after = DateTimeOffset.UtcNow;

        Assert.Equal(WriteAheadLogOptions.DefaultMaxRecordSizeBytes, log.MaxRecordSizeBytes);
        var stored = (await log.ReadStreamAsync("s")).Events[0];
        Assert.InRange(stored.Timestamp, before, after);
        Assert.Equal(TimeSpan.Zero, stored.Timestamp.Offset);
    }

    [Fact]
    public async Task Constructor_OptionsChangedAfterwards_LimitUnchanged()
    {
        var options = new InMemoryEventLogOptions { MaxRecordSizeBytes = 4 };
        await using var log = new InMemoryEventLog(options);

        options.MaxRecordSizeBytes = 100;

        await Assert.ThrowsAsync<RecordTooLargeException>(() => log.AppendAsync("s", 0, Batch("12345")).AsTask());
    }

    [Fact]
    public async Task WrittenAndDurableLsn_AreAlwaysEqual()
    {
        await using var log = new InMemoryEventLog();

        var result = await log.AppendAsync("s", 0, Batch("a", "b", "c"));

        Assert.Equal(3, result.LastLsn);
        Assert.Equal(3, log.WrittenLsn);
        Assert.Equal(log.WrittenLsn, log.DurableLsn);
    }

    [Fact]
    public async Task ReadEventsAsync_BelowCheckpointAndDeletedEvents_AreStillReturned()
    {
        await using var log = new InMemoryEventLog();
        await log.AppendAsync("s", 0, Batch("p1", "p2", "p3"));
        await log.WriteCheckpointAsync("s", 2, Encoding.UTF8.GetBytes("state@2"));
        await log.DeleteStreamAsync("s", 3);
        await log.AppendAsync("s", 3, Batch("p4"));

        var events = await log.ReadEventsAsync("s", 1, long.MaxValue);

        Assert.Equal(["p1", "p2", "p3", "p4"], events.Select(e => Encoding.UTF8.GetString(e.Payload.Span)).ToArray());
    }

    [Fact]
    public async Task GetStatistics_TracksLiveBytesThroughCheckpointsAndDeletes()
    {
        await using var log = new InMemoryEventLog();
        await log.AppendAsync("a", 0, [new byte[100], new byte[50]]);
        await log.AppendAsync("b", 0, [new byte[30]]);
        Assert.Equal(180, log.GetStatistics().LiveBytes);

        await log.WriteCheckpointAsync("a", 1, new byte[10]);
        Assert.Equal(10 + 50 + 30, log.GetStatistics().LiveBytes);

        await log.DeleteStreamAsync("b", 1);
        var stats = log.GetStatistics();

        Assert.Equal(60, stats.LiveBytes);
        Assert.Equal(190, stats.TotalBytes);
        Assert.Equal(2, stats.StreamCount);
        Assert.Equal(5, stats.AppendedRecords);
        Assert.Equal(4, stats.Commits);
        Assert.Equal(0, stats.SegmentCount);
    }

    [Fact]
    public async Task Operations_RacingDispose_EitherCompleteOrThrowObjectDisposed()
    {
        var log = new InMemoryEventLog();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            await start.Task;
            for (int i = 0; ; i++)
            {
                try
                {
                    await log.AppendAsync($"s{w}", ExpectedVersion.Any, Batch($"e{i}"));
                    await log.ReadStreamAsync($"s{w}");
                }
                catch (ObjectDisposedException)
                {
                    return i;
                }
            }
        })).ToArray();

        start.SetResult();
        await log.DisposeAsync();

        // Each writer loops until it gets ObjectDisposedException; any other exception fails the test here.
        int[] appended;
        try
        {
            appended = await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException("Timed out after 30 s waiting for 4 writers to stop with ObjectDisposedException after DisposeAsync.", ex);
        }

        Assert.Equal(4, appended.Length);
        Assert.Throws<ObjectDisposedException>(() => log.GetStatistics());
    }

    [Fact]
    public async Task ReadChangesAsync_ErasedEventsTheReaderHasNotPassed_GapErrorNamesThemAndLaterReadersStartAfter()
    {
        await using var log = new InMemoryEventLog();
        await log.AppendAsync("s", 0, Batch("e1", "e2", "e3"));
        await log.AppendAsync("t", 0, Batch("t1"));
        await log.DeleteEventsToAsync("s", 2);

        var gap = await Assert.ThrowsAsync<ChangeFeedGapException>(async () =>
        {
            await foreach (var change in log.ReadChangesAsync(ChangeFeedPosition.Beginning, follow: false))
            {
                Assert.Fail($"handed out {change.Lsn} before the erased changes");
            }
        });
        var fromOldest = new List<string>();
        await foreach (var change in log.ReadChangesAsync(ChangeFeedPosition.Oldest, follow: false))
        {
            fromOldest.Add(Encoding.UTF8.GetString(change.Payload.Span));
        }

        Assert.Equal((1L, 2L), (gap.MissingFromLsn, gap.MissingToLsn));
        Assert.Equal(["e3", "t1"], fromOldest);
    }

    [Fact]
    public async Task ReadChangesAsync_DisposedWhileTailing_EndsWithObjectDisposed()
    {
        var log = new InMemoryEventLog();
        await log.AppendAsync("s", 0, Batch("e1"));
        await using var feed = log.ReadChangesAsync(ChangeFeedPosition.Beginning).GetAsyncEnumerator();
        Assert.True(await feed.MoveNextAsync());
        ValueTask<bool> waiting = feed.MoveNextAsync();

        await log.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await waiting);
    }
}
