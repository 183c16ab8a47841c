using Actors.Cluster.PostgreSql;
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

    /// <summary>
    /// A transaction that requires a silo's lease valid (a claim, a grant naming it) does not hold back its renewals, while
    /// one that declares it dead does. A starved silo keeps such transactions open between statements, so its renewals
    /// (and those of a grant's target) used to wait for them.
    /// </summary>
    [Fact]
    public async Task RenewLease_WhileATransactionRequiresTheLeaseValid_RenewsButWaitsForADeclarationOfDeath()
    {
        await using var store = new PostgreSqlClusterStore(server.ConnectionString);
        await store.InitializeAsync("lease-locks", 1, CancellationToken.None);
        var row = new SiloRecord("s", 1, SiloStatus.Active, "s:1", null, DateTimeOffset.MinValue, DateTimeOffset.MinValue, 0);
        Assert.True(await store.TryApplyAsync("lease-locks", new ClusterUpdate().Write(row, 0, TimeSpan.FromMinutes(5)), CancellationToken.None));
        await using NpgsqlDataSource raw = NpgsqlDataSource.Create(server.ConnectionString);

        await using (NpgsqlConnection holder = await raw.OpenConnectionAsync())
        await using (NpgsqlTransaction transaction = await holder.BeginTransactionAsync())
        {
            Assert.True(await HoldLeaseConditionAsync(holder, transaction, mustBeValid: true), "the lease is valid");
            LeaseRenewal renewal = await Task.Run(() => store.RenewLease("lease-locks", "s", 1, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(60)));
            Assert.Equal(LeaseRenewalOutcome.Renewed, renewal.Outcome);
        }

        await using (NpgsqlConnection holder = await raw.OpenConnectionAsync())
        await using (NpgsqlTransaction transaction = await holder.BeginTransactionAsync())
        {
            Assert.False(await HoldLeaseConditionAsync(holder, transaction, mustBeValid: false), "the lease has not ended");
            ClusterStoreException held = await Assert.ThrowsAsync<ClusterStoreException>(
                () => Task.Run(() => store.RenewLease("lease-locks", "s", 1, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1))));
            Assert.Contains("lease-locks", held.Message, StringComparison.Ordinal);
        }

        Assert.Equal(LeaseRenewalOutcome.Renewed, (await store.RenewLeaseAsync("lease-locks", "s", 1, TimeSpan.FromMinutes(5), CancellationToken.None)).Outcome);
    }

    /// <summary>Runs the store's lease-condition statement for silo "s" inside <paramref name="transaction"/> (its row lock lasts as long); returns whether the condition holds.</summary>
    private static async Task<bool> HoldLeaseConditionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, bool mustBeValid)
    {
        await using var command = new NpgsqlCommand(PostgreSqlClusterStore.LeaseConditionSql(mustBeValid), connection, transaction);
        command.Parameters.AddWithValue("c", "lease-locks");
        command.Parameters.AddWithValue("n", "s");
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the silo's row exists");
        bool live = reader.GetBoolean(1);
        bool unexpired = reader.GetBoolean(2);
        return mustBeValid ? live && unexpired : !unexpired;
    }
}
