namespace Actors.Cluster.Membership;

/// <summary>The cluster store failed or holds something unexpected (the message says what, for which cluster).</summary>
public sealed class ClusterStoreException : ClusterException
{
    /// <summary>Creates the exception.</summary>
    public ClusterStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
