using Actors.Replication.Protocol;

namespace Actors.Replication.Wal;

/// <summary>A snapshot of a hosted replica, published after each burst of work of its driver loop.</summary>
/// <param name="Role">Leader or follower in <paramref name="Epoch"/>.</param>
/// <param name="Epoch">The latest epoch the replica entered.</param>
/// <param name="Leader">The leader of that epoch as the replica knows it, or null.</param>
/// <param name="EndLsn">The last entry written to its log.</param>
/// <param name="DurableLsn">The last entry synced. For a failed host: the last entry its log synced before it failed (the
/// entries after it may not be on disk even though a reopened log would read them from the page cache).</param>
/// <param name="CommittedLsn">Entries up to here are known acknowledged.</param>
/// <param name="Failed">True when the host stopped on an error (see <see cref="ReplicaHost.Failure"/>).</param>
/// <param name="StartLsn">Entries up to here are replaced by the replica's durable checkpoint (0: its log starts at LSN 1).</param>
public sealed record ReplicaStatus(ReplicaRole Role, long Epoch, ReplicaId? Leader, long EndLsn, long DurableLsn, long CommittedLsn, bool Failed, long StartLsn = 0)
{
    /// <summary>The status before the replica started.</summary>
    public static ReplicaStatus NotStarted { get; } = new(ReplicaRole.Follower, 0, null, 0, 0, 0, false);

    /// <summary>True when the replica leads its epoch.</summary>
    public bool IsLeader => Role == ReplicaRole.Leader && !Failed;
}
