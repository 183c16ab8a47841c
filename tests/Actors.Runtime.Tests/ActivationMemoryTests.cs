using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Actors.Runtime.Tests;

/// <summary>
/// Memory per trivial activation (issue 18 target: at most 600 B), the short form of the benchmark's
/// <c>memory --activations 1000000</c>: the live managed heap after full compacting collections, before and after
/// activating 50,000 grains that each served one call; and the short form of <c>collect</c>'s memory check: once idle
/// collection removed them, none of their memory stays reachable. Load-independent (they count bytes, not time).
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

    [Fact]
    public async Task Collect_FiftyThousandIdleActivations_LiveHeapReturnsToItsLevelBefore()
    {
        var time = new ManualTimeProvider();
        await using TestSilo silo = TestSilo.Start(
            s => s.AddGrain<SoakGrain>(),
            settings =>
            {
                settings.CollectionAge = TimeSpan.FromMinutes(10);
                settings.CollectionQuantum = TimeSpan.FromMinutes(1);
            },
            time);
        await ActivateAsync(silo, 0, WarmUp);
        time.Advance(TimeSpan.FromMinutes(11));
        await Probe.WaitUntilAsync(() => silo.Runtime.Catalog.Count == 0, $"the {WarmUp} warm-up activations to be collected ({silo.Runtime.Catalog.Count} left)");
        long before = LiveHeapBytes();

        await ActivateAsync(silo, WarmUp, Activations);
        long loaded = LiveHeapBytes();
        time.Advance(TimeSpan.FromMinutes(11));
        await Probe.WaitUntilAsync(() => silo.Runtime.Catalog.Count == 0, $"the {Activations} idle activations to be collected ({silo.Runtime.Catalog.Count} left)");
        long after = LiveHeapBytes();

        double leftPerActivation = (after - before) / (double)Activations;
        output.WriteLine($"live heap {before:N0} B before, {loaded:N0} B with {Activations:N0} activations, {after:N0} B after collecting them ({leftPerActivation:0.0} B per collected activation left)");
        Assert.True(loaded - before > Activations * 100L, $"the activations should have grown the live heap (before {before:N0} B, loaded {loaded:N0} B)");
        Assert.True(leftPerActivation <= 8, $"collected activations left {leftPerActivation:0.0} B each reachable (live heap {before:N0} B before, {loaded:N0} B loaded, {after:N0} B after)");
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
