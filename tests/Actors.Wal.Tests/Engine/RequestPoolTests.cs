using Actors.Wal.Writing;

namespace Actors.Wal.Tests.Engine;

/// <summary>The append path's request pool: a returned request is found again by the next rent, whatever the thread.</summary>
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
    public async Task Rent_AfterAReturnOnAnotherThread_ReusesTheRequest()
    {
        var pool = new RequestPool();
        var request = pool.Rent();
        await Task.Factory.StartNew(() => pool.Return(request), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        Assert.Same(request, pool.Rent());
    }

    [Fact]
    public void Return_PoolFull_DropsTheRequest()
    {
        var pool = new RequestPool(capacity: 2);
        var requests = Enumerable.Range(0, 3).Select(_ => pool.Rent()).ToList();
        requests.ForEach(pool.Return);

        Assert.Equal(2, pool.Count);
        Assert.Same(requests[0], pool.Rent());
        Assert.Same(requests[1], pool.Rent());
        Assert.NotSame(requests[2], pool.Rent());
    }
}
