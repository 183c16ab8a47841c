namespace Actors.Client;

/// <summary>
/// Supplies the gateways of a cluster, as Orleans' gateway list provider does: the client asks before every connect and
/// reconnect, so it follows silos that join, leave or die instead of a fixed list (for example
/// <c>UsePostgreSqlGatewayList</c> reads the Active silos' gateways from the cluster table).
/// </summary>
public interface IGatewayListProvider
{
    /// <summary>The gateway endpoints (<c>host:port</c>) to try now, in order; empty when none is known.</summary>
    /// <exception cref="Exception">Any failure to read the list: the client logs it and falls back to <see cref="ClientOptions.Gateways"/>.</exception>
    Task<IReadOnlyList<string>> GetGatewaysAsync(CancellationToken cancellationToken);
}
