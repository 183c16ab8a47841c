using Actors.Cluster.Membership;
using Actors.Cluster.PostgreSql;
using Actors.Cluster.Tests.Support;

namespace Actors.Cluster.Tests.Replication;

/// <summary>Over the PostgreSQL cluster store, against a real PostgreSQL 15 the fixture starts (never skipped).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlPartitionReplicaConfigurationStoreTests(PostgresServer server) : PartitionReplicaConfigurationStoreTests, IAsyncLifetime
{
    private readonly PostgreSqlClusterStore _store = new(server.ConnectionString);

    protected override IClusterStore ClusterStore => _store;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _store.DisposeAsync();
}
