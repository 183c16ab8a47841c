using System.Collections.Concurrent;
using Actors.Hosting;
using Actors.Placement;

namespace Actors.Cluster.Partitioning;

/// <summary>
/// Which grain classes live on their partition's owner (are partition-bound): a class that keeps state in a registered
/// write-ahead-log store, and, when the silo has a reminder service, a class that implements <see cref="IRemindable"/>
/// (its reminder rows live in its partition's log, so it registers and receives them where they are), and a class that
/// carries <see cref="PartitionOwnerPlacementAttribute"/>. Learned per class as the router meets it. Thread-safe.
/// </summary>
internal sealed class WalGrainTypes(Func<string, bool> isWalStore, bool remindersArePartitioned)
{
    private readonly ConcurrentDictionary<string, bool> _byType = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="grainClass"/> is partition-bound (and remembers its type name).</summary>
    public bool IsPartitionBound(GrainClassDescriptor grainClass)
        => _byType.GetOrAdd(grainClass.TypeName, static (_, state) => state.Self.IsBound(state.grainClass), (grainClass, Self: this));

    private bool IsBound(GrainClassDescriptor grainClass)
        => grainClass.StoreNames.Any(isWalStore)
            || grainClass.GrainClass.IsDefined(typeof(PartitionOwnerPlacementAttribute), inherit: true)
            || (remindersArePartitioned && typeof(IRemindable).IsAssignableFrom(grainClass.GrainClass));

    /// <summary>Whether grains of type <paramref name="typeName"/> are known to be partition-bound.</summary>
    public bool Contains(string typeName) => _byType.TryGetValue(typeName, out bool bound) && bound;
}
