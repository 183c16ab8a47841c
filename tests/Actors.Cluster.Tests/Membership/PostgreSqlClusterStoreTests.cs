using Actors.Cluster.Membership;
using Actors.Cluster.PostgreSql;
using Actors.Cluster.Tests.Support;
using Actors.TestingHost.Conformance;
using Npgsql;

namespace Actors.Cluster.Tests.Membership;

/// <summary>The PostgreSQL cluster store against a real PostgreSQL 15 the fixture starts (never skipped).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlClusterStoreTests(PostgresServer server)
{
    /// <summary>
    /// The store's statements judge leases by a clock the test moves (a one-row table in place of <c>clock_timestamp()</c>),
    /// so a stall of the loaded machine between two statements cannot end a lease the scenario relies on. The real
    /// database clock is exercised by the other tests (leases that end by waiting).
    /// </summary>
    [Fact]
    public async Task Conformance_AllScenariosOnAManualDatabaseClock_Pass()
    {
        string database = await server.CreateDatabaseAsync(
            "CREATE TABLE test_clock (now timestamptz NOT NULL); INSERT INTO test_clock VALUES ('2026-01-01T00:00:00Z');");
        await using var store = new PostgreSqlClusterStore(database, "(SELECT now FROM test_clock)");
        await using NpgsqlDataSource clock = NpgsqlDataSource.Create(database);

        await new ClusterStoreConformance(store, async span =>
        {
            await using NpgsqlCommand advance = clock.CreateCommand("UPDATE test_clock SET now = now + @span");
            advance.Parameters.AddWithValue("span", span);
            Assert.Equal(1, await advance.ExecuteNonQueryAsync());
        }).RunAllAsync();
    }

    [Fact]
    public async Task InitializeAsync_TwoStoresAtOnce_OneClusterOneSchema()
    {
        await using var first = new PostgreSqlClusterStore(server.ConnectionString);
        await using var second = new PostgreSqlClusterStore(server.ConnectionString);

        ClusterSnapshot[] snapshots = await Task.WhenAll(
            first.InitializeAsync("race", 6, CancellationToken.None),
            second.InitializeAsync("race", 9, CancellationToken.None));

        Assert.Single(snapshots.Select(s => s.PartitionCount).Distinct());
        Assert.Equal(snapshots[0].PartitionCount, snapshots[0].Partitions.Count);
    }

    [Fact]
    public async Task TryApplyAsync_ConcurrentDeclarationsOfOneDeath_ExactlyOneWins()
    {
        await using var store = new PostgreSqlClusterStore(server.ConnectionString);
        await store.InitializeAsync("deaths", 1, CancellationToken.None);
        var row = new SiloRecord("v", 1, SiloStatus.Active, "v:1", null, DateTimeOffset.MinValue, DateTimeOffset.MinValue, 0);
        Assert.True(await store.TryApplyAsync("deaths", new ClusterUpdate().Write(row, 0, TimeSpan.FromMilliseconds(200)), CancellationToken.None));
        await Eventually.TrueAsync(async () =>
        {
            ClusterSnapshot snapshot = await store.ReadAsync("deaths", CancellationToken.None);
            return snapshot.Now > snapshot.FindSilo("v")!.LeaseExpiresAt;
        }, TimeSpan.FromSeconds(30), "the 200 ms lease of 'v' ended by the database clock");
        SiloRecord stored = (await store.ReadAsync("deaths", CancellationToken.None)).FindSilo("v")!;

        bool[] outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.TryApplyAsync("deaths",
            new ClusterUpdate().Write(stored with { Status = SiloStatus.Dead }, stored.Version).RequireLease("v", 1, mustBeValid: false), CancellationToken.None)));

        Assert.Equal(1, outcomes.Count(o => o));
        Assert.Equal(LeaseRenewalOutcome.DeclaredDead, (await store.RenewLeaseAsync("deaths", "v", 1, TimeSpan.FromSeconds(1), CancellationToken.None)).Outcome);
    }
}
