namespace Actors.Cluster.Membership;

/// <summary>One row of the membership table: a silo (by its stable name) and its current incarnation.</summary>
/// <param name="Name">The silo's stable name (tied to its data volume); the row's key within a cluster.</param>
/// <param name="Incarnation">Starts at 1 and grows by one at every (re)join of the name: it tells a restarted silo from its previous life.</param>
/// <param name="Status">The silo's status.</param>
/// <param name="SiloEndpoint">Where other silos reach it (<c>host:port</c>).</param>
/// <param name="GatewayEndpoint">Where clients reach it (<c>host:port</c>), or null when it runs no gateway.</param>
/// <param name="LeaseExpiresAt">When its lease ends, by the store's clock. Renewals move it; nobody else does.</param>
/// <param name="StartedAt">When this incarnation joined, by the store's clock.</param>
/// <param name="Version">The row's version: every conditional write checks and increments it (renewals do not).</param>
public sealed record SiloRecord(
    string Name,
    long Incarnation,
    SiloStatus Status,
    string SiloEndpoint,
    string? GatewayEndpoint,
    DateTimeOffset LeaseExpiresAt,
    DateTimeOffset StartedAt,
    long Version)
{
    /// <summary>True for <see cref="SiloStatus.Active"/> and <see cref="SiloStatus.ShuttingDown"/>: the silo may still serve.</summary>
    public bool IsLive => Status is SiloStatus.Active or SiloStatus.ShuttingDown;

    /// <inheritdoc />
    public override string ToString() => $"{Name}#{Incarnation} {Status} at {SiloEndpoint} (v{Version})";
}
