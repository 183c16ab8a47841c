namespace Actors.Placement;

/// <summary>
/// In a cluster, activates the grain on the owner of its grain id's partition and moves it with the partition, as for a
/// grain keeping state in a write-ahead-log store (which is placed so without this attribute). For infrastructure grains
/// that work on a partition's log, such as a stream's agent. A single silo ignores it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class PartitionOwnerPlacementAttribute : Attribute
{
}
