namespace Actors.Replication.Messages;

/// <summary>Bytes that are not a replication message of a supported version (the connection that carried them should be closed).</summary>
public sealed class MalformedReplicationMessageException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public MalformedReplicationMessageException(string problem, int offset)
        : base($"Malformed replication message at byte {offset}: {problem}.")
    {
        Offset = offset;
    }

    /// <summary>Where in the message the problem was found.</summary>
    public int Offset { get; }
}
