using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;

namespace Actors.Runtime.Tests;

/// <summary>
/// The short form of the runtime soak (the long form is the Actors.Runtime.Benchmarks 'soak' command): many callers, many
/// grains, a mix of synchronous, yielding and grain-to-grain calls. A wedged activation would leave calls without an
/// answer until the response timeout fails them; the test then fails on the first such call.
/// </summary>
public sealed class SoakTests
{
    private const int Grains = 1_000;
    private const int InFlight = 64;
    private const int CallsPerCaller = 1_500;

    [Fact]
    public async Task Calls_ThousandGrainsSixtyFourInFlight_EveryCallAnsweredOnceNoTimeoutNothingStuck()
    {
        await using TestSilo silo = TestSilo.Start(s => s.AddGrain<SoakGrain>(), settings => settings.ResponseTimeout = TimeSpan.FromSeconds(60));
        long relays = 0;

        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(caller => Task.Run(async () =>
        {
            var random = new Random(caller);
            for (int i = 0; i < CallsPerCaller; i++)
            {
                ISoakGrain grain = silo.Factory.GetGrain<ISoakGrain>(random.Next(Grains));
                switch (random.Next(10))
                {
                    case < 4:
                        await grain.Ping();
                        break;
                    case < 8:
                        await grain.PingYield();
                        break;
                    default:
                        await grain.Relay(Grains + random.Next(Grains));
                        Interlocked.Increment(ref relays);
                        break;
                }
            }
        })));

        int[] served = await Task.WhenAll(Enumerable.Range(0, 2 * Grains).Select(i => silo.Factory.GetGrain<ISoakGrain>(i).Count()));
        Assert.Equal(((long)InFlight * CallsPerCaller) + relays, served.Sum(n => (long)n));
        Assert.Equal(0, silo.Runtime.OutstandingCalls.Count);
        Assert.Equal(0, silo.Runtime.OutstandingCalls.Detections);
        Assert.Equal(0, silo.Runtime.QueuedRequests.Value);
    }
}
