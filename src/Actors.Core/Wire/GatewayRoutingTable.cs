using Actors.Routing;

namespace Actors.Wire;

/// <summary>
/// Where a cluster serves its partition-bound grains (grains whose state lives in their partition's log), as a silo
/// gateway tells a client that asked: the client sends a call for such a grain straight to the gateway of its
/// partition's owner, and every other call to any gateway (which forwards it).
/// </summary>
/// <param name="Version">The cluster table version the table was made from; a client keeps the highest it saw.</param>
/// <param name="PartitionCount">The cluster's partition count (fixed when the cluster was created).</param>
/// <param name="Gateways">
/// Gateway endpoints (<c>host:port</c>) of the silos <paramref name="PartitionGateways"/> names and of the cluster's other
/// Active silos that run a gateway: a client fails over to them when its gateway goes away, so it needs one seed gateway only.
/// </param>
/// <param name="PartitionGateways">
/// Per partition, the index in <paramref name="Gateways"/> of its owner's gateway; -1 while none can serve it directly
/// (no owner yet, the owner is not live, or it has no gateway): calls then go to any gateway, which forwards or waits.
/// </param>
/// <param name="GrainTypes">
/// Registered grain type names and the full names of grain interfaces implemented by exactly one class, each mapped to the
/// partition-bound class's grain type name (the type of the canonical grain id), or to an empty string when the class
/// is not partition-bound.
/// </param>
/// <remarks>
/// A stale table only costs a hop: the silo a call reaches routes it onwards, exactly as for a call sent to any gateway.
/// </remarks>
public sealed record GatewayRoutingTable(
    long Version,
    int PartitionCount,
    IReadOnlyList<string> Gateways,
    IReadOnlyList<int> PartitionGateways,
    IReadOnlyDictionary<string, string> GrainTypes)
{
    /// <summary>
    /// The gateway of the silo that serves <paramref name="target"/> when it is a partition-bound grain called through
    /// <paramref name="grainInterface"/>; null when the table cannot tell (any gateway will do).
    /// </summary>
    /// <remarks>
    /// Mirrors the silo's resolution of a call's class: the class the id's type names, else the only class implementing
    /// the interface (whose type name then replaces the id's in the canonical id the partition is computed from).
    /// </remarks>
    public string? GatewayFor(GrainId target, Type grainInterface)
    {
        ArgumentNullException.ThrowIfNull(grainInterface);
        if (!GrainTypes.TryGetValue(target.Type, out string? grainType)
            && (grainInterface.FullName is not { } interfaceName || !GrainTypes.TryGetValue(interfaceName, out grainType)))
        {
            return null;
        }

        if (grainType.Length == 0)
        {
            return null;
        }

        int gateway = PartitionGateways[GrainPartitioner.GetPartition(new GrainId(grainType, target.Key), PartitionCount)];
        return gateway >= 0 ? Gateways[gateway] : null;
    }
}
