namespace Actors.Cluster.Membership;

/// <summary>One row of the partition table: who owns a partition's grains and their logs, under which epoch.</summary>
/// <param name="Partition">The partition number, 0 to the cluster's partition count - 1.</param>
/// <param name="Owner">The owning silo's name (its volume holds the partition's logs), or null before the first claim.</param>
/// <param name="OwnerIncarnation">The owner's incarnation that was granted the current epoch; 0 when unassigned.</param>
/// <param name="Epoch">Grows by one at every grant (claim, re-claim after a restart, hand-off); 0 when unassigned.</param>
/// <param name="State">Owned, or moving to <paramref name="Target"/>.</param>
/// <param name="Target">The silo the owner hands the partition to while <see cref="PartitionState.Moving"/>, else null.</param>
/// <param name="Version">The row's version: every conditional write checks and increments it.</param>
public sealed record PartitionRecord(
    int Partition,
    string? Owner,
    long OwnerIncarnation,
    long Epoch,
    PartitionState State,
    string? Target,
    long Version)
{
    /// <inheritdoc />
    public override string ToString() => Owner is null
        ? $"partition {Partition} unassigned (v{Version})"
        : $"partition {Partition} owned by {Owner}#{OwnerIncarnation} epoch {Epoch}{(State == PartitionState.Moving ? $" moving to {Target}" : "")} (v{Version})";
}
