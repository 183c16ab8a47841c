using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Actors.Runtime.Tests;

/// <summary>
/// Memory per trivial activation (issue 18 target: at most 600 B), the short form of the benchmark's
/// <c>memory --activations 1000000</c>: the live managed heap after full compacting collections, before and after
/// activating 50,000 grains that each served one call. Load-independent (it counts bytes, not time).
/// </summary>
[Collection(ProcessAllocationCollection.Name)]
public sealed class ActivationMemoryTests(ITestOutputHelper output)
{
    private const int Activations = 50_000;
    private const int WarmUp = 1_000;

    [Fact]
    public async Task Activate_FiftyThousandTrivialGrains_AtMost600BytesEach()
    {
        await using TestSilo silo = TestSilo.Start(s => s.AddGrain<SoakGrain>(), settings => settings.CollectionAge = TimeSpan.FromHours(1));
        await ActivateAsync(silo, 0, WarmUp);
        long before = LiveHeapBytes();
        await ActivateAsync(silo, WarmUp, Activations);
        long after = LiveHeapBytes();

        Assert.Equal(WarmUp + Activations, silo.Runtime.Catalog.Count);
        double perActivation = (after - before) / (double)Activations;
        output.WriteLine($"{perActivation:0} B per activation (live heap {before:N0} -> {after:N0} B)");
        Assert.True(perActivation <= 600, $"a trivial activation costs {perActivation:0} B of live heap; target at most 600 B");
        GC.KeepAlive(silo);
    }

    private static async Task ActivateAsync(TestSilo silo, int first, int count)
    {
        int next = first - 1;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            int key;
            while ((key = Interlocked.Increment(ref next)) < first + count)
            {
                await silo.Factory.GetGrain<ISoakGrain>(key).Ping();
            }
        })));
    }

    private static long LiveHeapBytes()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
