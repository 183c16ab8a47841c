using Actors.Replication.Log;

namespace Actors.Replication.Protocol;

/// <summary>
/// What a <see cref="Replica"/> whose log may start above offset 1 asks of its disk, beyond
/// <see cref="IReplicaEnvironment"/>: checkpoints (the materialized state at a committed offset) and the deletion of the
/// entries they replace. A driver that does not implement it never deletes entries (<see cref="Replica.Compact"/> is
/// refused) and cannot take a transferred checkpoint.
/// </summary>
/// <remarks>
/// Contracts (the simulator checks the protocol under exactly these):
/// <list type="bullet">
/// <item><see cref="WriteCheckpoint"/> is independent of the log's operations: it is durable when
/// <c>Replica.OnCheckpointWritten(token)</c> is delivered, and a crash before that may lose it. A durable checkpoint
/// replaces an older one (lower offset), never a newer one.</item>
/// <item><see cref="DeletePrefix"/> and <see cref="InstallCheckpoint"/> are log operations: applied in the order
/// requested with <see cref="IReplicaEnvironment.WriteEntries"/> and <see cref="IReplicaEnvironment.Truncate"/>, durable
/// once a later <see cref="IReplicaEnvironment.Sync"/> completes; a crash keeps a prefix of them.</item>
/// <item><see cref="InstallCheckpoint"/> is atomic: after a crash the disk holds either the old log (and checkpoint)
/// or the new checkpoint with no entry after it, never a mix.</item>
/// <item>At start the driver gives the replica its durable checkpoint and the log's entries from where the log starts;
/// a log that starts above the checkpoint's offset + 1 has lost entries (the replica refuses to start).</item>
/// </list>
/// </remarks>
public interface IReplicaCheckpointEnvironment : IReplicaEnvironment
{
    /// <summary>Writes <paramref name="checkpoint"/> durably; completion arrives as <c>Replica.OnCheckpointWritten(token)</c>.</summary>
    void WriteCheckpoint(ReplicaCheckpoint checkpoint, long token);

    /// <summary>Deletes the log's entries up to <paramref name="offset"/> (a durable checkpoint covers them); a log operation.</summary>
    void DeletePrefix(long offset);

    /// <summary>Replaces the log and the checkpoint by <paramref name="checkpoint"/> with no entry after it; an atomic log operation.</summary>
    void InstallCheckpoint(ReplicaCheckpoint checkpoint);
}
