namespace Actors.Cluster.Messaging;

/// <summary>
/// A message could not be delivered to a silo, or its connection was lost before the response: the peer is down,
/// unreachable, not the incarnation addressed, or refused the handshake. Whether a request sent before the loss ran is
/// unknown.
/// </summary>
[GenerateSerializer]
public sealed class SiloUnreachableException : ClusterException
{
    /// <summary>Creates the exception.</summary>
    public SiloUnreachableException(string silo, string reason, Exception? innerException = null, bool notDelivered = false)
        : base($"Silo {silo} is unreachable: {reason}", innerException)
    {
        Silo = silo;
        NotDelivered = notDelivered;
    }

    /// <summary>True when the request certainly never left this silo (no connection could be opened): retrying cannot run it twice.</summary>
    [Id(0)]
    public bool NotDelivered { get; }

    /// <summary>The silo addressed (<c>name#incarnation at endpoint</c>).</summary>
    [Id(1)]
    public string Silo { get; }
}
