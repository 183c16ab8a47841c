namespace Actors.Cluster.Membership;

/// <summary>One row of the partition table: who owns a partition's grains and their logs, under which epoch.</summary>
/// <param name="Partition">The partition number, 0 to the cluster's partition count - 1.</param>
/// <param name="Owner">The owning silo's name (its volume holds the partition's logs), or null before the first claim.</param>
/// <param name="OwnerIncarnation">The owner's incarnation that was granted the current epoch; 0 when unassigned.</param>
/// <param name="Epoch">Grows by one at every grant (claim, re-claim after a restart, hand-off); 0 when unassigned.</param>
/// <param name="State">Owned, or moving to <paramref name="Target"/>.</param>
/// <param name="Target">The silo the owner hands the partition to while <see cref="PartitionState.Moving"/>, else null.</param>
/// <param name="Version">The row's version: every conditional write checks and increments it.</param>
/// <remarks>
/// A replicated partition (<see cref="ClusterOptions.ReplicationFactor"/> above 1) also carries its replica configuration
/// in the same row, so one conditional write changes owner and replication leader together: the owner is the leader of
/// <see cref="Epoch"/>, <see cref="Replicas"/> names the silos holding a copy of its log, and <see cref="InSync"/> those
/// holding every acknowledged entry. An unreplicated partition has both lists empty.
/// </remarks>
public sealed record PartitionRecord(
    int Partition,
    string? Owner,
    long OwnerIncarnation,
    long Epoch,
    PartitionState State,
    string? Target,
    long Version)
{
    /// <summary>
    /// The silos holding a replica of the partition's log, in replica-number order (the silo at index <c>i</c> is replica
    /// <c>i + 1</c>; the order never changes once granted). Empty when the partition is not replicated.
    /// </summary>
    public IReadOnlyList<string> Replicas { get; init; } = [];

    /// <summary>
    /// The members of <see cref="Replicas"/> in the in-sync set: every acknowledged entry is durable on each of them, and
    /// only they may become leader (owner). Always holds the owner when the partition is replicated; empty otherwise.
    /// </summary>
    public IReadOnlyList<string> InSync { get; init; } = [];

    /// <summary>Whether the row carries a replica configuration.</summary>
    public bool IsReplicated => Replicas.Count > 0;

    /// <summary>Value equality over every field, the replica lists compared element by element.</summary>
    public bool Equals(PartitionRecord? other) => other is not null
        && Partition == other.Partition && string.Equals(Owner, other.Owner, StringComparison.Ordinal) && OwnerIncarnation == other.OwnerIncarnation
        && Epoch == other.Epoch && State == other.State && string.Equals(Target, other.Target, StringComparison.Ordinal) && Version == other.Version
        && Replicas.SequenceEqual(other.Replicas, StringComparer.Ordinal) && InSync.SequenceEqual(other.InSync, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Partition, Owner, OwnerIncarnation, Epoch, State, Target, Version, Replicas.Count);

    /// <inheritdoc />
    public override string ToString() => Owner is null
        ? $"partition {Partition} unassigned (v{Version})"
        : $"partition {Partition} owned by {Owner}#{OwnerIncarnation} epoch {Epoch}{(State == PartitionState.Moving ? $" moving to {Target}" : "")}"
          + (IsReplicated ? $" replicas [{string.Join(",", Replicas)}] in-sync [{string.Join(",", InSync)}]" : "") + $" (v{Version})";
}
