namespace Actors.Orleans.Clustering;

/// <summary>
/// The silo cannot take part in the replicated cluster: its partition count differs from the cluster's, its log directory
/// belongs to another cluster or replica, or PostgreSQL could not be reached at start. The message names the setting,
/// directory or table concerned; the silo does not start.
/// </summary>
public sealed class WriteAheadLogReplicationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WriteAheadLogReplicationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
