namespace Actors.Cluster.Membership;

/// <summary>The whole cluster table as one consistent read, or an earlier one brought up to date by <see cref="Apply"/>.</summary>
/// <remarks>
/// A snapshot brought up to date by changes has every row as of <see cref="TableVersion"/> except lease expiries, which
/// renewals move without changing the table version: <see cref="SiloRecord.LeaseExpiresAt"/> of a row is at least the
/// value read when the row last changed. Judge leases by renewals (<see cref="LeaseRenewal.ExpiredSilos"/>) or by a whole read.
/// </remarks>
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

    /// <summary>
    /// This snapshot with <paramref name="changes"/> applied: changed silo rows replace theirs by name (new names are
    /// added, in name order), changed partition rows replace theirs; the table version and the clock are the changes'.
    /// Returns this snapshot when the changes are not newer than it.
    /// </summary>
    /// <exception cref="ArgumentException">The changes are of another cluster, start after a version this snapshot does not have, or name a partition out of range.</exception>
    public ClusterSnapshot Apply(ClusterChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (!string.Equals(changes.ClusterId, ClusterId, StringComparison.Ordinal) || changes.PartitionCount != PartitionCount)
        {
            throw new ArgumentException($"Changes of cluster '{changes.ClusterId}' ({changes.PartitionCount} partitions) cannot apply to a snapshot of cluster '{ClusterId}' ({PartitionCount} partitions).", nameof(changes));
        }

        if (changes.TableVersion <= TableVersion)
        {
            return this;
        }

        if (changes.SinceTableVersion > TableVersion)
        {
            throw new ArgumentException($"Changes after table version {changes.SinceTableVersion} cannot apply to a snapshot at version {TableVersion}: the changes in between would be missing.", nameof(changes));
        }

        var silos = new SortedDictionary<string, SiloRecord>(StringComparer.Ordinal);
        foreach (SiloRecord silo in Silos)
        {
            silos[silo.Name] = silo;
        }

        foreach (SiloRecord silo in changes.Silos)
        {
            silos[silo.Name] = silo;
        }

        PartitionRecord[] partitions = [.. Partitions];
        foreach (PartitionRecord partition in changes.Partitions)
        {
            if ((uint)partition.Partition >= (uint)partitions.Length)
            {
                throw new ArgumentException($"Changed partition {partition.Partition} is out of range for cluster '{ClusterId}' ({PartitionCount} partitions).", nameof(changes));
            }

            partitions[partition.Partition] = partition;
        }

        return new ClusterSnapshot(ClusterId, PartitionCount, changes.TableVersion, changes.Now, [.. silos.Values], partitions);
    }

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
