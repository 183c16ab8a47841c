namespace Actors.Cluster.Membership;

/// <summary>The whole cluster table as one consistent read.</summary>
/// <param name="ClusterId">The cluster.</param>
/// <param name="PartitionCount">The fixed number of partitions, chosen when the cluster was created.</param>
/// <param name="TableVersion">Grows by one with every successful conditional update (not with lease renewals).</param>
/// <param name="Now">The store's clock at the read.</param>
/// <param name="Silos">Every silo row, by name.</param>
/// <param name="Partitions">Every partition row, by partition number (index = partition).</param>
public sealed record ClusterSnapshot(
    string ClusterId,
    int PartitionCount,
    long TableVersion,
    DateTimeOffset Now,
    IReadOnlyList<SiloRecord> Silos,
    IReadOnlyList<PartitionRecord> Partitions)
{
    /// <summary>The gateway endpoints (<c>host:port</c>) of the Active silos that run a gateway, by silo name.</summary>
    public IReadOnlyList<string> ActiveGateways()
        => [.. Silos.Where(s => s.Status == SiloStatus.Active && s.GatewayEndpoint is not null).Select(s => s.GatewayEndpoint!)];

    /// <summary>The row of silo <paramref name="name"/>, or null.</summary>
    public SiloRecord? FindSilo(string name)
    {
        foreach (SiloRecord silo in Silos)
        {
            if (string.Equals(silo.Name, name, StringComparison.Ordinal))
            {
                return silo;
            }
        }

        return null;
    }
}
