namespace Actors.Cluster;

/// <summary>The root of the cluster layer's exceptions.</summary>
public abstract class ClusterException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected ClusterException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
