namespace Actors.Replication;

/// <summary>The root of the replication layer's exceptions.</summary>
public abstract class ReplicationException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected ReplicationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
