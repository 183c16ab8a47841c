namespace Actors.Cluster.Membership;

/// <summary>
/// A conditional update of the cluster table, applied all or nothing by <see cref="IClusterStore.TryApplyAsync"/>: every
/// row write names the version it expects, every lease condition must hold by the store's clock, and on success the
/// table version grows by one.
/// </summary>
public sealed class ClusterUpdate
{
    /// <summary>Silo rows to insert or replace.</summary>
    public List<SiloWrite> Silos { get; } = [];

    /// <summary>Partition rows to replace.</summary>
    public List<PartitionWrite> Partitions { get; } = [];

    /// <summary>Conditions on silos' leases, checked with the store's clock in the same transaction.</summary>
    public List<LeaseCondition> Leases { get; } = [];

    /// <summary>Adds a silo row write.</summary>
    public ClusterUpdate Write(SiloRecord record, long expectedVersion, TimeSpan? renewLeaseFor = null)
    {
        Silos.Add(new SiloWrite(record, expectedVersion, renewLeaseFor));
        return this;
    }

    /// <summary>Adds a partition row write.</summary>
    public ClusterUpdate Write(PartitionRecord record, long expectedVersion)
    {
        Partitions.Add(new PartitionWrite(record, expectedVersion));
        return this;
    }

    /// <summary>Requires that the lease of <paramref name="silo"/>'s <paramref name="incarnation"/> is valid (live status, not expired) or, when <paramref name="mustBeValid"/> is false, expired.</summary>
    public ClusterUpdate RequireLease(string silo, long incarnation, bool mustBeValid = true)
    {
        Leases.Add(new LeaseCondition(silo, incarnation, mustBeValid));
        return this;
    }

    /// <inheritdoc />
    public override string ToString() => string.Join("; ", Silos.Select(s => s.ToString()).Concat(Partitions.Select(p => p.ToString())).Concat(Leases.Select(l => l.ToString())));
}

/// <summary>A silo row write.</summary>
/// <param name="Record">The new row; its <see cref="SiloRecord.Version"/> is ignored (the store sets expected + 1) and so is <see cref="SiloRecord.LeaseExpiresAt"/> when <paramref name="RenewLeaseFor"/> is set.</param>
/// <param name="ExpectedVersion">The version the row must have; 0 means the row must not exist (an insert).</param>
/// <param name="RenewLeaseFor">When set, the store sets the lease to its clock plus this duration (and <see cref="SiloRecord.StartedAt"/> to its clock on insert or incarnation change).</param>
public readonly record struct SiloWrite(SiloRecord Record, long ExpectedVersion, TimeSpan? RenewLeaseFor);

/// <summary>A partition row write.</summary>
/// <param name="Record">The new row; its <see cref="PartitionRecord.Version"/> is ignored (the store sets expected + 1).</param>
/// <param name="ExpectedVersion">The version the row must have.</param>
public readonly record struct PartitionWrite(PartitionRecord Record, long ExpectedVersion);

/// <summary>A condition on a silo's lease.</summary>
/// <param name="Silo">The silo's name.</param>
/// <param name="Incarnation">The incarnation the row must have.</param>
/// <param name="MustBeValid">True: the status is live and the lease ends after the store's clock. False: the lease ended at or before the store's clock.</param>
public readonly record struct LeaseCondition(string Silo, long Incarnation, bool MustBeValid);
