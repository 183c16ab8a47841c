using Actors.Replication;

namespace Actors.Orleans.Clustering.Transport;

/// <summary>
/// Bytes that arrived as a replication frame and are not one (<see cref="ReplicationFrameCodec"/>): damaged, truncated,
/// of an unknown format version, or carrying a replication message that does not decode. The message names the field
/// and the byte offset.
/// </summary>
/// <remarks>
/// Raised and caught at the receiving silo only (<see cref="OrleansReplicaMessaging"/>): the frame is counted as refused,
/// logged, and nothing is handed to a replica. Under <see cref="ReplicationException"/>, the root of the replication
/// layer's errors, beside the codec's <c>MalformedReplicationMessageException</c> (the inner exception when the message
/// part is what is malformed).
/// </remarks>
internal sealed class MalformedReplicationFrameException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public MalformedReplicationFrameException(string problem, int offset, Exception? innerException = null)
        : base($"Malformed replication frame at byte {offset}: {problem}.", innerException)
    {
        Offset = offset;
    }

    /// <summary>Where in the frame the problem was found.</summary>
    public int Offset { get; }
}
