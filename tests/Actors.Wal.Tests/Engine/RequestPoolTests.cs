using Actors.Wal.Writing;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// The append path's request pool: a thread rents back what it returned (its own cache), what a thread returns beyond
/// its cache reaches every other thread (the shared tier), and no pool's requests stay stranded in a cache that serves
/// another pool.
/// </summary>
public sealed class RequestPoolTests
{
    [Fact]
    public void Rent_AfterAReturnOnTheSameThread_ReusesTheRequest()
    {
        var pool = new RequestPool();
        for (int i = 0; i < 100; i++)
        {
            var request = pool.Rent();
            pool.Return(request);

            Assert.Same(request, pool.Rent());
            pool.Return(request);
        }
    }

    [Fact]
    public async Task Rent_AfterAnotherThreadReturnedMoreThanItCaches_ReusesTheOverflow()
    {
        var pool = new RequestPool();
        int overflow = 5;
        var returned = Enumerable.Range(0, RequestPool.ThreadCacheCapacity + overflow).Select(_ => pool.Rent()).ToList();

        await OnOwnThreadAsync(() => returned.ForEach(pool.Return));

        Assert.Equal(overflow, pool.Count);
        for (int i = 0; i < overflow; i++)
        {
            Assert.Contains(pool.Rent(), returned);
        }
    }

    [Fact]
    public async Task Return_OfAnotherPool_HandsTheThreadsCachedRequestsBackToTheirPool()
    {
        var first = new RequestPool();
        var second = new RequestPool();
        var cached = Enumerable.Range(0, 3).Select(_ => first.Rent()).ToList();
        var other = second.Rent();

        await OnOwnThreadAsync(() =>
        {
            cached.ForEach(first.Return);
            second.Return(other);
        });

        Assert.Equal(3, first.Count);
        Assert.Equal(0, second.Count);
        Assert.Contains(first.Rent(), cached);
    }

    [Fact]
    public async Task Return_BothTiersFull_DropsTheRequest()
    {
        var pool = new RequestPool(capacity: 2);
        var requests = Enumerable.Range(0, RequestPool.ThreadCacheCapacity + 3).Select(_ => pool.Rent()).ToList();

        await OnOwnThreadAsync(() => requests.ForEach(pool.Return));

        Assert.Equal(2, pool.Count);
        Assert.Same(requests[RequestPool.ThreadCacheCapacity], pool.Rent());
        Assert.Same(requests[RequestPool.ThreadCacheCapacity + 1], pool.Rent());
        Assert.DoesNotContain(pool.Rent(), requests);
    }

    /// <summary>Runs <paramref name="action"/> on a thread of its own (its cache is not the test thread's).</summary>
    private static Task OnOwnThreadAsync(Action action)
        => Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
