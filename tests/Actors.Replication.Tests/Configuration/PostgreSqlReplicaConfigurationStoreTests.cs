using Actors.Replication.Configuration;
using Actors.Replication.PostgreSql;
using Npgsql;

namespace Actors.Replication.Tests.Configuration;

/// <summary>The PostgreSQL store against a real PostgreSQL 15 that the fixture starts (never skipped).</summary>
[Trait("Category", "Integration")]
public sealed class PostgreSqlReplicaConfigurationStoreTests : ReplicaConfigurationStoreConformance, IClassFixture<PostgresServer>, IAsyncLifetime
{
    private static int s_nextPartition;
    private readonly NpgsqlDataSource _dataSource;

    public PostgreSqlReplicaConfigurationStoreTests(PostgresServer server) => _dataSource = NpgsqlDataSource.Create(server.ConnectionString);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    protected override async Task<IReplicaConfigurationStore> CreateStoreAsync()
    {
        var store = new PostgreSqlReplicaConfigurationStore(_dataSource, "conformance", Interlocked.Increment(ref s_nextPartition));
        await store.InitializeAsync(Initial);
        return store;
    }

    [Fact]
    public async Task InitializeAsync_PartitionAlreadyConfigured_KeepsStoredConfiguration()
    {
        var partition = Interlocked.Increment(ref s_nextPartition);
        var first = new PostgreSqlReplicaConfigurationStore(_dataSource, "conformance", partition);
        await first.InitializeAsync(Initial);
        var moved = Initial.WithNewLeader(new ReplicaId(2));
        Assert.True((await first.TryWriteAsync(1, moved)).Applied);

        var again = await new PostgreSqlReplicaConfigurationStore(_dataSource, "conformance", partition).InitializeAsync(Initial);

        Assert.True(again.SameAs(moved), again.ToString());
    }

    [Fact]
    public async Task ReadAsync_ServerUnreachable_ThrowsStoreExceptionNamingPartition()
    {
        await using var unreachable = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=postgres;Timeout=2");
        var store = new PostgreSqlReplicaConfigurationStore(unreachable, "conformance", 7);

        var exception = await Assert.ThrowsAsync<ReplicaConfigurationStoreException>(() => store.ReadAsync().AsTask());

        Assert.Contains("partition 7", exception.Message, StringComparison.Ordinal);
    }
}
