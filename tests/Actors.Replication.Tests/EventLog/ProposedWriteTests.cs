using Actors.Replication.Wal.EventLog;
using Actors.Wal;

namespace Actors.Replication.Tests.EventLog;

/// <summary>A proposed write's pooled completion: read once, and reused only after that read.</summary>
public sealed class ProposedWriteTests
{
    [Fact]
    public async Task GetResult_AfterCompletion_ReturnsTheResultAndOnlyThenRecyclesIt()
    {
        var pool = new ProposedWritePool();
        var write = pool.Rent();
        var awaited = write.AsAppendTask();

        write.SetAppended(new AppendResult(1, 2, 7));
        Assert.Equal(0, pool.Count);
        var result = await awaited;

        Assert.Equal(new AppendResult(1, 2, 7), result);
        Assert.Equal(1, pool.Count);
        Assert.Same(write, pool.Rent());
    }

    [Fact]
    public async Task GetResult_Refused_ThrowsTheRefusalAndRecycles()
    {
        var pool = new ProposedWritePool();
        var write = pool.Rent();
        var awaited = write.AsResultTask();
        var refusal = new StreamVersionConflictException("s/1", 3, 4);

        write.SetException(refusal);

        Assert.Same(refusal, await Assert.ThrowsAsync<StreamVersionConflictException>(async () => await awaited));
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public async Task GetResult_BeforeCompletion_ThrowsAndKeepsItOutOfThePool()
    {
        var pool = new ProposedWritePool();
        var write = pool.Rent();
        var pending = write.AsAppendTask();

        Assert.Throws<InvalidOperationException>(() => pending.Result);
        Assert.Equal(0, pool.Count);
        write.SetAppended(new AppendResult(1, 1, 1));
        Assert.Equal(new AppendResult(1, 1, 1), await pending);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public async Task Reused_TheEarlierAwaitable_IsStaleAndCannotReadTheNextOutcome()
    {
        var pool = new ProposedWritePool();
        var write = pool.Rent();
        var first = write.AsAppendTask();
        write.SetAppended(new AppendResult(1, 1, 1));
        await first;

        var again = pool.Rent();
        var second = again.AsAppendTask();
        again.SetAppended(new AppendResult(2, 2, 2));

        Assert.Same(write, again);
        Assert.Throws<InvalidOperationException>(() => first.Result);
        Assert.Equal(new AppendResult(2, 2, 2), await second);
    }

    [Fact]
    public async Task AsResultTask_OtherWrite_ReturnsItsResultObject()
    {
        var pool = new ProposedWritePool();
        var write = pool.Rent();
        var awaited = write.AsResultTask();
        var erased = new EraseResult("s/1", 4, 4, []);

        write.SetResult(erased);

        Assert.Same(erased, await awaited);
    }
}
