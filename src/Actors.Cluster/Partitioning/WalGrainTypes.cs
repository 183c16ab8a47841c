using System.Collections.Concurrent;
using Actors.Hosting;
using Actors.Placement;

namespace Actors.Cluster.Partitioning;

/// <summary>
/// Which grain classes keep state in a write-ahead-log store (and so live on their partition's owner): a class is one
/// when any store it uses is a registered write-ahead-log store, or when it carries <see cref="PartitionOwnerPlacementAttribute"/>. Learned per class as the router meets it. Thread-safe.
/// </summary>
internal sealed class WalGrainTypes(Func<string, bool> isWalStore)
{
    private readonly ConcurrentDictionary<string, bool> _byType = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="grainClass"/> is partition-bound (and remembers its type name).</summary>
    public bool IsPartitionBound(GrainClassDescriptor grainClass)
        => _byType.GetOrAdd(grainClass.TypeName, static (_, state) => state.grainClass.StoreNames.Any(state.isWalStore)
            || state.grainClass.GrainClass.IsDefined(typeof(PartitionOwnerPlacementAttribute), inherit: true), (grainClass, isWalStore));

    /// <summary>Whether grains of type <paramref name="typeName"/> are known to be partition-bound.</summary>
    public bool Contains(string typeName) => _byType.TryGetValue(typeName, out bool bound) && bound;
}
