namespace Actors.Wal.Tests.Conformance;

/// <summary>The change feed (<see cref="ILogChangeFeed"/>) every log hands out through <see cref="IEventLog"/>: LSN order, resume, tailing, typed errors.</summary>
public abstract partial class EventLogConformanceTests
{
    [Fact]
    public async Task ReadChangesAsync_EventsCheckpointAndDeletion_InLsnOrderWithKindsVersionsAndPayloads()
    {
        var log = await NewLogAsync();
        if (!HasChangeFeed)
        {
            await AssertNoChangeFeedAsync(log);
            return;
        }

        var first = await log.AppendAsync("a", 0, Batch("a1", "a2"));
        var second = await log.AppendAsync("b", 0, Batch("b1"));
        var checkpoint = await log.WriteCheckpointAsync("a", 2, Bytes("state@2"));
        var deletion = await log.DeleteStreamAsync("b", 1);
        await SettleChangesAsync(log);

        var changes = await ReadAllAsync(log, ChangeFeedPosition.Beginning);

        Assert.Equal(
            [
                (LogChangeKind.Event, "a", 1L, "a1"), (LogChangeKind.Event, "a", 2L, "a2"), (LogChangeKind.Event, "b", 1L, "b1"),
                (LogChangeKind.Checkpoint, "a", 2L, "state@2"), (LogChangeKind.Tombstone, "b", 1L, ""),
            ],
            changes.Select(c => (c.Kind, c.StreamId, c.Version, Text(c.Payload))));
        Assert.Equal([first.LastLsn - 1, first.LastLsn, second.LastLsn, checkpoint.Lsn, deletion.LastLsn], changes.Select(c => c.Lsn));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => changes[0].Lsn + i), changes.Select(c => c.Lsn));
        Assert.Equal(changes.Select(c => c.Lsn), changes.Select(c => c.Position.Lsn));
    }

    [Fact]
    public async Task ReadChangesAsync_ResumedFromAStoredPosition_HandsOutExactlyTheLaterChanges()
    {
        var log = await NewLogAsync();
        if (!HasChangeFeed)
        {
            await AssertNoChangeFeedAsync(log);
            return;
        }

        await AppendNumberedAsync(log, "s", 4);
        await SettleChangesAsync(log);
        var all = await ReadAllAsync(log, ChangeFeedPosition.Beginning);

        var resumed = await ReadAllAsync(log, all[1].Position);
        var byLsn = await ReadAllAsync(log, ChangeFeedPosition.AfterLsn(all[1].Lsn));

        Assert.Equal(["p3", "p4"], resumed.Select(c => Text(c.Payload)));
        Assert.Equal(all[1].Lsn + 1, resumed[0].Lsn);
        Assert.Equal(resumed.Select(c => c.Lsn), byLsn.Select(c => c.Lsn));
        Assert.Empty(await ReadAllAsync(log, all[^1].Position));
    }

    [Fact]
    public async Task ReadChangesAsync_Following_HandsOutAnAppendMadeWhileItWaits()
    {
        var log = await NewLogAsync();
        if (!HasChangeFeed)
        {
            await AssertNoChangeFeedAsync(log);
            return;
        }

        await AppendNumberedAsync(log, "s", 1);
        await SettleChangesAsync(log);
        using var timeout = new CancellationTokenSource(WaitTimeout);
        await using var feed = log.ReadChangesAsync(ChangeFeedPosition.Beginning, follow: true, timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await feed.MoveNextAsync());
        Assert.Equal("p1", Text(feed.Current.Payload));

        ValueTask<bool> next = feed.MoveNextAsync();
        await log.AppendAsync("t", 0, Batch("later"));
        await SettleChangesAsync(log);

        Assert.True(await next);
        Assert.Equal(("t", "later"), (feed.Current.StreamId, Text(feed.Current.Payload)));
    }

    [Fact]
    public async Task ReadChangesAsync_PositionBeyondTheEnd_ThrowsChangeFeedPositionException()
    {
        var log = await NewLogAsync();
        if (!HasChangeFeed)
        {
            await AssertNoChangeFeedAsync(log);
            return;
        }

        await AppendNumberedAsync(log, "s", 2);

        await Assert.ThrowsAsync<ChangeFeedPositionException>(() => ReadAllAsync(log, ChangeFeedPosition.AfterLsn(log.DurableLsn + 5)));
    }

    /// <summary>A log without a change feed says so, naming its type.</summary>
    private static async Task AssertNoChangeFeedAsync(IEventLog log)
    {
        var refusal = await Assert.ThrowsAsync<NotSupportedException>(() => ReadAllAsync(log, ChangeFeedPosition.Beginning));
        Assert.Contains(log.GetType().Name, refusal.Message, StringComparison.Ordinal);
    }

    /// <summary>A catch-up read (no tailing) from <paramref name="from"/>.</summary>
    protected static async Task<List<LogChange>> ReadAllAsync(IEventLog log, ChangeFeedPosition from)
    {
        var changes = new List<LogChange>();
        using var timeout = new CancellationTokenSource(WaitTimeout);
        await foreach (var change in log.ReadChangesAsync(from, follow: false, timeout.Token))
        {
            changes.Add(change);
        }

        return changes;
    }
}
