using Actors.Client;

namespace Actors.Cluster.PostgreSql;

/// <summary>
/// A client's gateway list from the cluster table in PostgreSQL (as Orleans' clients read the membership table): the
/// gateways of the Active silos, read before every connect, so a client given no gateway address finds the cluster and
/// fails over to another silo when its gateway dies or leaves.
/// </summary>
public sealed class PostgreSqlGatewayListProvider(string connectionString, string clusterId) : IGatewayListProvider, IAsyncDisposable
{
    private readonly PostgreSqlClusterStore _store = new(connectionString);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetGatewaysAsync(CancellationToken cancellationToken)
        => (await _store.ReadAsync(clusterId, cancellationToken)).ActiveGateways();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
