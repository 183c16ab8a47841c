using System.Collections.Concurrent;
using System.Reflection;
using Actors.Cluster.Membership;
using Actors.Cluster.Partitioning;
using Actors.Placement;

namespace Actors.Cluster.Routing;

/// <summary>Chooses the silo that activates a grain without an activation, by its class's placement attribute.</summary>
internal static class PlacementDirector
{
    private static readonly ConcurrentDictionary<Type, PlacementAttribute> Strategies = new();

    /// <summary>The strategy of <paramref name="grainClass"/> (random when it names none).</summary>
    public static PlacementAttribute StrategyOf(Type grainClass)
        => Strategies.GetOrAdd(grainClass, static c => c.GetCustomAttribute<PlacementAttribute>(inherit: true) ?? new RandomPlacementAttribute());

    /// <summary>The silo to activate <paramref name="grainId"/> on, among the Active silos of <paramref name="snapshot"/>.</summary>
    /// <exception cref="SiloUnavailableException">No silo is Active.</exception>
    public static string Choose(PlacementAttribute strategy, GrainId grainId, ClusterSnapshot snapshot, string localSilo)
    {
        string[] active = snapshot.Silos.Where(s => s.Status == SiloStatus.Active).Select(s => s.Name).Order(StringComparer.Ordinal).ToArray();
        if (active.Length == 0)
        {
            throw new SiloUnavailableException($"No silo of cluster '{snapshot.ClusterId}' is Active: grain {grainId} cannot be placed.");
        }

        return strategy switch
        {
            PreferLocalPlacementAttribute when active.Contains(localSilo, StringComparer.Ordinal) => localSilo,
            HashBasedPlacementAttribute => active[(int)(PartitionMap.Hash(grainId.ToString()) % (ulong)active.Length)],
            _ => active[Random.Shared.Next(active.Length)],
        };
    }
}
