using Actors.Wal.Tests.Support;
using Actors.Wal.Writing;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// <see cref="WriteBatch"/> (issue 61): writes added to a batch are queued together at <see cref="WriteBatch.Commit"/>, so a
/// log that commits on the calling thread writes them with one commit, not one each, while every write keeps its own
/// outcome and the call order. The count of commits is the log's <see cref="LogStatistics.Commits"/>.
/// </summary>
public sealed class WriteBatchTests : LogTestBase
{
    [Fact]
    public async Task Commit_WritesOnACommitOnCallingThreadLog_AreWrittenWithOneCommitEachWithItsOwnResult()
    {
        const int Appends = 8;
        await using var log = await OpenAsync(CommitInline);
        await log.AppendAsync("cart/0", ExpectedVersion.NoStream, Events("created"));
        long commitsBefore = log.GetStatistics().Commits;
        var batch = log.CreateWriteBatch();

        var appends = Enumerable.Range(0, Appends).Select(i => batch.AppendAsync($"cart/{i % 4}", ExpectedVersion.Any, Events($"item {i}"))).ToArray();
        var checkpoint = batch.WriteCheckpointAsync("cart/0", 2, Bytes("state@2"));
        var delete = batch.DeleteStreamAsync("cart/3", 2);
        batch.Commit();

        Assert.Equal(1, log.GetStatistics().Commits - commitsBefore);
        Assert.All(appends, a => Assert.True(a.IsCompletedSuccessfully, "an append of the batch was not complete when Commit returned"));
        Assert.True(checkpoint.IsCompletedSuccessfully, "the checkpoint was not complete when Commit returned");
        Assert.True(delete.IsCompletedSuccessfully, "the delete was not complete when Commit returned");
        var results = new List<AppendResult>();
        foreach (var append in appends)
        {
            results.Add(await append);
        }

        Assert.Equal(Enumerable.Range(2, Appends).Select(l => (long)l), results.Select(r => r.LastLsn));
        Assert.Equal([2L, 1, 1, 1, 3, 2, 2, 2], results.Select(r => r.LastVersion));
        Assert.Equal(2, (await checkpoint).Version);
        Assert.Equal(2, (await delete).LastVersion);
        var cart0 = await log.ReadStreamAsync("cart/0");
        Assert.Equal("state@2", Text(cart0.Checkpoint!.State));
        Assert.Equal(["item 4"], cart0.Events.Select(e => Text(e.Payload)));
        Assert.True(log.GetStreamInfo("cart/3").IsDeleted, "cart/3 is not deleted after its delete completed");
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public async Task Commit_SameWritesCalledOneByOne_TakeOneCommitEach()
    {
        // What the batch saves: the counter the other tests read counts one commit per write without it.
        const int Appends = 8;
        await using var log = await OpenAsync(CommitInline);
        long commitsBefore = log.GetStatistics().Commits;

        var appends = Enumerable.Range(0, Appends).Select(i => log.AppendAsync($"cart/{i % 4}", ExpectedVersion.Any, Events($"item {i}")).AsTask()).ToArray();
        await Task.WhenAll(appends);

        Assert.Equal(Appends, log.GetStatistics().Commits - commitsBefore);
    }

    [Fact]
    public async Task Commit_ARefusedWriteAmongThem_RefusesAloneAndTheOthersAreWrittenInOrder()
    {
        await using var log = await OpenAsync(CommitInline);
        long commitsBefore = log.GetStatistics().Commits;
        var batch = log.CreateWriteBatch();

        var first = batch.AppendAsync("s", ExpectedVersion.NoStream, Events("a"));
        var conflicting = batch.AppendAsync("s", ExpectedVersion.NoStream, Events("b")); // "s" is at version 1 by then
        var outOfRange = batch.WriteCheckpointAsync("s", 5, Bytes("state@5"));
        var next = batch.AppendAsync("s", 1, Events("c"));
        batch.Commit();

        Assert.Equal(1, (await first).LastVersion);
        var conflict = await Assert.ThrowsAsync<StreamVersionConflictException>(() => conflicting.AsTask());
        Assert.Equal(1, conflict.ActualVersion);
        await Assert.ThrowsAsync<CheckpointVersionOutOfRangeException>(() => outOfRange.AsTask());
        Assert.Equal(2, (await next).LastVersion);
        Assert.Equal(["a", "c"], (await log.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
        Assert.Equal(1, log.GetStatistics().Commits - commitsBefore);
        Assert.False(log.IsFailed, "a refused write of the batch failed the log");
    }

    [Fact]
    public async Task AppendAsync_ArgumentTheLogRefusesAtOnce_ThrowsAndAddsNothing()
    {
        await using var log = await OpenAsync(CommitInline);
        var batch = log.CreateWriteBatch();
        var kept = batch.AppendAsync("s", ExpectedVersion.NoStream, Events("a"));

        Assert.Throws<RecordTooLargeException>(() => batch.AppendAsync("s", 1, [new byte[32 * 1024]]));
        Assert.Throws<ArgumentException>(() => batch.AppendAsync("s", 1, Events()));
        Assert.Equal(1, batch.Count);
        batch.Commit();

        Assert.Equal(1, (await kept).LastVersion);
        Assert.Equal(1, log.GetStreamInfo("s").Version);
    }

    [Fact]
    public async Task AppendAsync_BeforeCommit_IsNotWrittenUntilCommit()
    {
        await using var log = await OpenAsync(CommitInline);
        var batch = log.CreateWriteBatch();

        var append = batch.AppendAsync("s", ExpectedVersion.NoStream, Events("a"));

        Assert.False(append.IsCompleted, "an append of the batch completed before Commit");
        Assert.Equal(0, log.WrittenLsn);
        batch.Commit();
        Assert.Equal(1, (await append).LastLsn);
    }

    [Fact]
    public async Task Commit_PastMaxBatchBytes_IsSplitIntoGroupsOfAtMostThatSizeInOrder()
    {
        const int Appends = 20;
        await using var log = await OpenAsync(o =>
        {
            CommitInline(o);
            o.MaxBatchBytes = 4096;
        });
        long commitsBefore = log.GetStatistics().Commits;
        long bytesBefore = log.GetStatistics().AppendedBytes;
        var batch = log.CreateWriteBatch();

        var appends = Enumerable.Range(0, Appends).Select(i => batch.AppendAsync("big", i, [new byte[1000]])).ToArray();
        batch.Commit();

        long commits = log.GetStatistics().Commits - commitsBefore;
        long bytes = log.GetStatistics().AppendedBytes - bytesBefore;
        Assert.True(commits >= (bytes + 4095) / 4096 && commits < Appends, $"{Appends} appends of {bytes} framed bytes in all took {commits} commits with MaxBatchBytes 4096");
        for (int i = 0; i < Appends; i++)
        {
            Assert.Equal(i + 1, (await appends[i]).LastVersion);
        }
    }

    [Fact]
    public async Task Commit_OnALogWithACommitterThread_CompletesEveryWriteInOrder()
    {
        const int Appends = 50;
        await using var log = await OpenAsync();
        var batch = log.CreateWriteBatch();

        var appends = Enumerable.Range(0, Appends).Select(i => batch.AppendAsync("s", i, Events($"e{i}")).AsTask()).ToArray();
        batch.Commit();
        var results = await Task.WhenAll(appends).WaitAsync(PollDeadline);

        Assert.Equal(Enumerable.Range(1, Appends).Select(v => (long)v), results.Select(r => r.LastVersion));
        Assert.True(log.DurableLsn >= Appends, $"the batch is acknowledged but the durable LSN is {log.DurableLsn}");
        Assert.Equal(Enumerable.Range(0, Appends).Select(i => $"e{i}"), (await log.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
    }

    [Fact]
    public async Task Commit_AfterTheLogClosed_FailsEveryWriteAsDisposed()
    {
        var log = await OpenAsync(CommitInline);
        var batch = log.CreateWriteBatch();
        var appends = Enumerable.Range(0, 3).Select(i => batch.AppendAsync($"s{i}", ExpectedVersion.NoStream, Events("a"))).ToArray();
        await log.DisposeAsync();

        batch.Commit();

        foreach (var append in appends)
        {
            await Assert.ThrowsAsync<ObjectDisposedException>(() => append.AsTask());
        }
    }
}
