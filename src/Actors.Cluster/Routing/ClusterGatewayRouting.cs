using Actors.Cluster.Membership;
using Actors.Cluster.Partitioning;
using Actors.Hosting;
using Actors.Hosting.Gateway;
using Actors.Invocation;
using Actors.Wire;

namespace Actors.Cluster.Routing;

/// <summary>
/// The routing table this silo's gateway gives clients that ask for one: from each new cluster view, the gateway of every
/// partition's owner and of every other Active silo (the client's failover targets), and which grain types and interfaces are partition-bound (so a client can compute a grain's
/// partition from its canonical id).
/// </summary>
/// <remarks>
/// A partition whose owner is not live, has restarted without re-claiming it, or runs no gateway has no direct gateway
/// (clients send its calls anywhere and the silo routes them). A partition that is moving keeps its current owner: the
/// owner holds the calls and forwards them once the move is granted. Thread-safe.
/// </remarks>
internal sealed class ClusterGatewayRouting(Func<IReadOnlyCollection<GrainClassDescriptor>> grainClasses, WalGrainTypes walGrainTypes) : IGatewayRoutingSource
{
    private readonly Lazy<IReadOnlyDictionary<string, string>> _grainTypes = new(() => Describe(grainClasses(), walGrainTypes));
    private GatewayRoutingTable? _current;

    /// <inheritdoc />
    public GatewayRoutingTable? Current => Volatile.Read(ref _current);

    /// <inheritdoc />
    public event Action? Changed;

    /// <summary>Makes the table of <paramref name="snapshot"/> current when it is newer than the current one, and raises <see cref="Changed"/>.</summary>
    public void OnViewChanged(ClusterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (Current is { } current && current.Version >= snapshot.TableVersion)
        {
            return;
        }

        var gateways = new List<string>();
        var owners = new int[snapshot.PartitionCount];
        foreach (PartitionRecord row in snapshot.Partitions)
        {
            owners[row.Partition] = -1;
            if (row.Owner is not null && snapshot.FindSilo(row.Owner) is { IsLive: true, GatewayEndpoint: { } gateway } owner && owner.Incarnation == row.OwnerIncarnation)
            {
                int index = gateways.IndexOf(gateway);
                owners[row.Partition] = index >= 0 ? index : gateways.Count;
                if (index < 0)
                {
                    gateways.Add(gateway);
                }
            }
        }

        // Every Active silo's gateway is listed (owners' first), so clients can fail over to gateways that own nothing.
        foreach (string gateway in snapshot.ActiveGateways())
        {
            if (!gateways.Contains(gateway))
            {
                gateways.Add(gateway);
            }
        }

        Volatile.Write(ref _current, new GatewayRoutingTable(snapshot.TableVersion, snapshot.PartitionCount, gateways, owners, _grainTypes.Value));
        Changed?.Invoke();
    }

    /// <summary>
    /// Every registered class's grain type name mapped to itself when it is partition-bound (else to ""), and every grain
    /// interface implemented by exactly one class mapped the same way (generic interfaces are left out: their names
    /// depend on their type arguments).
    /// </summary>
    private static Dictionary<string, string> Describe(IReadOnlyCollection<GrainClassDescriptor> classes, WalGrainTypes walGrainTypes)
    {
        var grainTypes = new Dictionary<string, string>(StringComparer.Ordinal);
        var implementers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (GrainClassDescriptor grainClass in classes)
        {
            string routed = walGrainTypes.IsPartitionBound(grainClass) ? grainClass.TypeName : "";
            grainTypes[grainClass.TypeName] = routed;
            foreach (Type grainInterface in grainClass.GrainClass.GetInterfaces().Where(i => GrainMethodRegistry.IsGrainInterface(i) && !i.IsGenericType))
            {
                if (grainInterface.FullName is { } name)
                {
                    (implementers.TryGetValue(name, out List<string>? list) ? list : implementers[name] = []).Add(routed);
                }
            }
        }

        foreach ((string name, List<string> routes) in implementers)
        {
            if (routes.Count == 1)
            {
                grainTypes.TryAdd(name, routes[0]);
            }
        }

        return grainTypes;
    }
}
