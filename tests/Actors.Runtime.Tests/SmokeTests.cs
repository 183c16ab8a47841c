using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;

namespace Actors.Runtime.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task GetGrain_AllReturnKinds_ReturnResults()
    {
        await using var silo = TestSilo.Start(s => s.AddGrain<CounterGrain>());
        ICounterGrain counter = silo.Factory.GetGrain<ICounterGrain>("a");
        Assert.Equal(1, await counter.Increment());
        Assert.Equal(2, await counter.Increment());
        await counter.Add(5);
        Assert.Equal(7, await counter.Get());
        await counter.Reset();
        Assert.Equal(0, await counter.Get());
        Assert.Equal("a", await counter.Key());
        Assert.Equal(new GrainId("counter", "a"), counter.GetGrainId());
    }
}
