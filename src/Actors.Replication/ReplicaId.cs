namespace Actors.Replication;

/// <summary>Names one replica of a partition log (in the cluster: a silo name mapped to a small number).</summary>
/// <param name="Value">A positive number, unique among the partition's replicas.</param>
public readonly record struct ReplicaId(int Value) : IComparable<ReplicaId>
{
    /// <inheritdoc />
    public int CompareTo(ReplicaId other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => $"r{Value}";
}
