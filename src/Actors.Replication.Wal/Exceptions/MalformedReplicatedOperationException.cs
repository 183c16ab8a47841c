namespace Actors.Replication.Wal;

/// <summary>
/// A committed entry does not decode as a <see cref="EventLog.ReplicatedOperation"/> (damage, or an entry written by
/// something else): the materialized log cannot follow the replicated one past it.
/// </summary>
public sealed class MalformedReplicatedOperationException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public MalformedReplicatedOperationException(long lsn, string problem)
        : base($"The replicated entry at LSN {lsn} is not a valid operation: {problem}.")
    {
        Lsn = lsn;
        Problem = problem;
    }

    /// <summary>The entry's LSN.</summary>
    public long Lsn { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
