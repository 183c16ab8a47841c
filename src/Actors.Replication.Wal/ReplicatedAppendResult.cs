namespace Actors.Replication.Wal;

/// <summary>An acknowledged append: durable on the leader and on every replica of the in-sync set.</summary>
/// <param name="Lsn">The entry's position in the partition log (the same on every replica).</param>
/// <param name="Epoch">The epoch of the leader that acknowledged it.</param>
public readonly record struct ReplicatedAppendResult(long Lsn, long Epoch);
