namespace Actors.Replication.Wal;

/// <summary>
/// Failed: the append was written by a leader that lost its leadership (or stopped) before acknowledging it. It may
/// survive on the next leader or vanish; the caller must read the log's current state before retrying (the grain
/// layer's expected-version check makes a blind retry safe: a duplicate fails as a version conflict).
/// </summary>
public sealed class AppendOutcomeUnknownException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public AppendOutcomeUnknownException(ReplicaId replica, string reason, Exception? innerException = null)
        : base($"Replica {replica} appended the entry but could not acknowledge it ({reason}); it may or may not survive.", innerException)
    {
        Replica = replica;
        Reason = reason;
    }

    /// <summary>The replica that had appended it.</summary>
    public ReplicaId Replica { get; }

    /// <summary>Why it was not acknowledged.</summary>
    public string Reason { get; }
}
