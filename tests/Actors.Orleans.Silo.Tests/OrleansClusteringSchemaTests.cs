using System.Net;
using Actors.Orleans.Silo.Clustering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService;

namespace Actors.Orleans.Silo.Tests;

/// <summary>
/// The project's PostgreSQL script for Orleans's membership tables, applied as silos apply it, and then used by
/// Orleans's own ADO.NET membership table (Microsoft.Orleans.Clustering.AdoNet's <see cref="AdoNetClusteringTable"/>):
/// the contract Orleans reads (query keys, parameter and column names, the version compare-and-swap).
/// </summary>
public sealed class OrleansClusteringSchemaTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static readonly string[] ClusteringQueryKeys =
    [
        "CleanupDefunctSiloEntriesKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey", "InsertMembershipKey",
        "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey",
    ];

    [Fact]
    public async Task ApplyAsync_FourSilosAtOnceOnAnEmptyDatabase_EveryQueryOnceAndAnOperatorsTextKept()
    {
        string database = await server.CreateDatabaseAsync("SELECT 1");
        string script = OrleansClusteringSchema.Script;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => OrleansClusteringSchema.ApplyAsync(database, script, CancellationToken.None))));
        Assert.Equal(ClusteringQueryKeys, await QueryKeysAsync(database));

        await ExecuteAsync(database, "UPDATE OrleansQuery SET QueryText = QueryText || ' -- tuned' WHERE QueryKey = 'GatewaysQueryKey'");
        await OrleansClusteringSchema.ApplyAsync(database, script, CancellationToken.None);
        Assert.EndsWith("-- tuned", await ScalarAsync<string>(database, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'GatewaysQueryKey'"), StringComparison.Ordinal);
        Assert.Equal(ClusteringQueryKeys, await QueryKeysAsync(database));
    }

    [Fact]
    public async Task AdoNetClusteringTable_OnTheScriptsTables_InsertsUpdatesAndRefusesStaleVersions()
    {
        string database = await server.CreateDatabaseAsync("SELECT 1");
        await OrleansClusteringSchema.ApplyAsync(database, OrleansClusteringSchema.Script, CancellationToken.None);
        AdoNetClusteringTable table = await OpenTableAsync(database, "cluster-a");

        MembershipTableData empty = await table.ReadAllAsync(CancellationToken.None);
        Assert.Empty(empty.Members);
        MembershipEntry first = Entry(11111, SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(first, empty.Version.Next(), CancellationToken.None), "the first insert with the current version must succeed");
        Assert.False(await table.InsertRowAsync(Entry(11112, SiloStatus.Joining), empty.Version.Next(), CancellationToken.None), "an insert with a version no longer current must be refused");
        Assert.False(await table.InsertRowAsync(first, (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None), "inserting the same silo twice must be refused");

        MembershipTableData one = await table.ReadAllAsync(CancellationToken.None);
        (MembershipEntry stored, string etag) = Assert.Single(one.Members);
        Assert.Equal(first.SiloAddress, stored.SiloAddress);
        Assert.Equal(SiloStatus.Joining, stored.Status);
        Assert.Equal(empty.Version.Version + 1, one.Version.Version);

        first.Status = SiloStatus.Active;
        Assert.True(await table.UpdateRowAsync(first, etag, one.Version.Next(), CancellationToken.None), "an update with the current version must succeed");
        Assert.False(await table.UpdateRowAsync(first, etag, one.Version.Next(), CancellationToken.None), "an update with a version no longer current must be refused");
        first.IAmAliveTime = first.IAmAliveTime.AddMinutes(1);
        await table.UpdateIAmAliveAsync(first, CancellationToken.None);

        MembershipTableData row = await table.ReadRowAsync(first.SiloAddress, CancellationToken.None);
        (MembershipEntry active, _) = Assert.Single(row.Members);
        Assert.Equal(SiloStatus.Active, active.Status);
        Assert.Equal(first.IAmAliveTime, active.IAmAliveTime, TimeSpan.FromMilliseconds(1));

        MembershipTableData two = await table.ReadAllAsync(CancellationToken.None);
        MembershipEntry dead = Entry(11113, SiloStatus.Dead);
        Assert.True(await table.InsertRowAsync(dead, two.Version.Next(), CancellationToken.None), "inserting a second silo with the current version must succeed");
        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None);
        (MembershipEntry kept, _) = Assert.Single((await table.ReadAllAsync(CancellationToken.None)).Members);
        Assert.Equal(first.SiloAddress, kept.SiloAddress);

        // Another cluster in the same tables sees none of these rows.
        AdoNetClusteringTable other = await OpenTableAsync(database, "cluster-b");
        Assert.Empty((await other.ReadAllAsync(CancellationToken.None)).Members);
        await table.DeleteMembershipTableEntriesAsync("cluster-a", CancellationToken.None);
        Assert.Equal(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = 'cluster-a'"));
    }

    private static async Task<AdoNetClusteringTable> OpenTableAsync(string database, string clusterId)
    {
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Microsoft.Extensions.Options.Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "actors" }),
            Microsoft.Extensions.Options.Options.Create(new AdoNetClusteringSiloOptions { Invariant = "Npgsql", ConnectionString = database }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, CancellationToken.None);
        return table;
    }

    private static MembershipEntry Entry(int port, SiloStatus status)
    {
        DateTime now = DateTime.UtcNow;
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 7),
            SiloName = $"silo-{port}",
            HostName = "test-host",
            Status = status,
            ProxyPort = port + 1000,
            StartTime = now,
            IAmAliveTime = now,
        };
    }

    private static async Task<string[]> QueryKeysAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey", connection);
        var keys = new List<string>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return [.. keys.Order(StringComparer.Ordinal)];
    }

    private static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
