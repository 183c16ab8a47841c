using System.Diagnostics;
using Actors.Orleans.Benchmarks.Grains;

namespace Actors.Orleans.Benchmarks.Sections;

/// <summary>
/// Deactivates grains and waits until the silo's activation directory holds none of them (the management grain's
/// detailed statistics list an activation until its deactivation has completed, storage included).
/// </summary>
public static class GrainDeactivator
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static async Task DeactivateAllAsync(BenchContext context, IReadOnlyList<IBenchGrain> grains)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(grains);
        await Task.WhenAll(grains.Select(g => g.Deactivate()));
        IManagementGrain management = context.Grains.GetGrain<IManagementGrain>(0);
        var ids = grains.Select(g => g.GetGrainId()).ToHashSet();
        var waited = Stopwatch.StartNew();
        while (true)
        {
            DetailedGrainStatistic[] activations = await management.GetDetailedGrainStatistics();
            int live = activations.Count(a => ids.Contains(a.GrainId));
            if (live == 0)
            {
                return;
            }

            if (waited.Elapsed > Timeout)
            {
                throw new TimeoutException(
                    $"{live} activations remain {Timeout.TotalSeconds:0} s after {grains.Count} were asked to deactivate (expected 0)");
            }

            await Task.Delay(20);
        }
    }
}
