namespace Actors.Cluster.Tests.Support;

/// <summary>A cluster store that counts the whole reads and the rows of change reads it passes on to another store.</summary>
public sealed class CountingClusterStore(IClusterStore inner) : IClusterStore
{
    private int _wholeReads;
    private int _changeReads;
    private int _changedRows;

    /// <summary>How many times the whole table was read.</summary>
    public int WholeReads => Volatile.Read(ref _wholeReads);

    /// <summary>How many change reads were made.</summary>
    public int ChangeReads => Volatile.Read(ref _changeReads);

    /// <summary>How many rows (silos and partitions) all change reads returned.</summary>
    public int ChangedRows => Volatile.Read(ref _changedRows);

    public Task<ClusterSnapshot> InitializeAsync(string clusterId, int partitionCount, CancellationToken cancellationToken)
        => inner.InitializeAsync(clusterId, partitionCount, cancellationToken);

    public Task<ClusterSnapshot> ReadAsync(string clusterId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _wholeReads);
        return inner.ReadAsync(clusterId, cancellationToken);
    }

    public async Task<ClusterChanges> ReadChangesAsync(string clusterId, long sinceTableVersion, CancellationToken cancellationToken)
    {
        ClusterChanges changes = await inner.ReadChangesAsync(clusterId, sinceTableVersion, cancellationToken);
        Interlocked.Increment(ref _changeReads);
        Interlocked.Add(ref _changedRows, changes.Silos.Count + changes.Partitions.Count);
        return changes;
    }

    public Task<LeaseRenewal> RenewLeaseAsync(string clusterId, string silo, long incarnation, TimeSpan duration, CancellationToken cancellationToken)
        => inner.RenewLeaseAsync(clusterId, silo, incarnation, duration, cancellationToken);

    public LeaseRenewal RenewLease(string clusterId, string silo, long incarnation, TimeSpan duration, TimeSpan timeout)
        => inner.RenewLease(clusterId, silo, incarnation, duration, timeout);

    public Task<bool> TryApplyAsync(string clusterId, ClusterUpdate update, CancellationToken cancellationToken)
        => inner.TryApplyAsync(clusterId, update, cancellationToken);
}
