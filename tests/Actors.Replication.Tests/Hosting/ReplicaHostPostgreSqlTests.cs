using Actors.Replication.PostgreSql;
using Npgsql;
using Xunit.Abstractions;
using static Actors.Replication.Tests.Hosting.ReplicaHostScenarios;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// The failover scenarios with every configuration decision (leader, epoch, in-sync set) made by a conditional update
/// in a real PostgreSQL 15 that the fixture starts (never skipped).
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReplicaHostPostgreSqlTests(PostgresServer server, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private static int s_nextPartition = 1000;

    [Fact]
    public async Task LeaderKilled_ConfigurationInPostgreSql_SuccessorTakesOverWithNoAcknowledgedEntryLost()
    {
        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        await using var replicas = new HostedReplicas(3, FailoverOptions(), await StoreAsync(dataSource));

        output.WriteLine(await LeaderKilledAsync(replicas));
    }

    [Fact]
    public async Task PausedLeader_ConfigurationInPostgreSql_CannotAcknowledgeAfterItsSuccessorTookOver()
    {
        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        await using var replicas = new HostedReplicas(3, FailoverOptions(), await StoreAsync(dataSource));

        output.WriteLine(await LeaderPausedAsync(replicas));
    }

    private static async Task<PostgreSqlReplicaConfigurationStore> StoreAsync(NpgsqlDataSource dataSource)
    {
        var store = new PostgreSqlReplicaConfigurationStore(dataSource, "hosting", Interlocked.Increment(ref s_nextPartition));
        await store.InitializeAsync(HostedReplicas.Initial(3));
        return store;
    }
}
