namespace Actors.Replication.Configuration;

/// <summary>A configuration store could not be read or written (outcome of a write unknown: read before deciding).</summary>
public sealed class ReplicaConfigurationStoreException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public ReplicaConfigurationStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
