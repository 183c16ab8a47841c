namespace Actors.Cluster.Messaging;

/// <summary>A peer sent bytes that break the silo-to-silo protocol; the connection is closed (the silo is not).</summary>
public sealed class SiloProtocolException : ClusterException
{
    /// <summary>Creates the exception.</summary>
    public SiloProtocolException(string message)
        : base(message)
    {
    }
}
