namespace Actors.Cluster.Messaging;

/// <summary>One incarnation of a silo and where it listens for other silos.</summary>
/// <param name="Name">The silo's stable name.</param>
/// <param name="Incarnation">Its incarnation (a restart is a new one; messages to an old incarnation are refused).</param>
/// <param name="Endpoint">Its silo-to-silo endpoint, <c>host:port</c>.</param>
public sealed record SiloAddress(string Name, long Incarnation, string Endpoint)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name}#{Incarnation} at {Endpoint}";
}
