namespace Actors.Cluster.Membership;

/// <summary>
/// The rows of the cluster table that changed after a given table version, as one consistent read
/// (<see cref="IClusterStore.ReadChangesAsync"/>): what a silo that already holds the table at that version needs to catch up.
/// </summary>
/// <remarks>
/// Rows are never deleted (a silo that left keeps its row as Left, a partition row always exists), so a changed row is
/// always the row's new content and no removal has to be told. Lease renewals do not change the table version, so a
/// row whose lease was only renewed is not in the changes: leases are judged by renewals
/// (<see cref="LeaseRenewal.ExpiredSilos"/>), never by the lease values of a snapshot kept up to date by changes.
/// </remarks>
/// <param name="ClusterId">The cluster.</param>
/// <param name="PartitionCount">The fixed number of partitions.</param>
/// <param name="SinceTableVersion">The table version the changes start after.</param>
/// <param name="TableVersion">The table version the changes bring a reader to (equal to <paramref name="SinceTableVersion"/> when nothing changed).</param>
/// <param name="Now">The store's clock at the read.</param>
/// <param name="Silos">The silo rows last changed by an update after <paramref name="SinceTableVersion"/>, by name.</param>
/// <param name="Partitions">The partition rows last changed by an update after <paramref name="SinceTableVersion"/>, by partition number.</param>
public sealed record ClusterChanges(
    string ClusterId,
    int PartitionCount,
    long SinceTableVersion,
    long TableVersion,
    DateTimeOffset Now,
    IReadOnlyList<SiloRecord> Silos,
    IReadOnlyList<PartitionRecord> Partitions);
