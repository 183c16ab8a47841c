namespace Actors.Cluster.Membership;

/// <summary>The state of a partition's ownership row. Stored as its integer value: never renumber.</summary>
public enum PartitionState
{
    /// <summary>Owned by <see cref="PartitionRecord.Owner"/> (or unassigned when the owner is null).</summary>
    Owned = 0,

    /// <summary>Its owner is handing it to <see cref="PartitionRecord.Target"/>; the owner still holds its log until the grant.</summary>
    Moving = 1,
}
