using Actors.Cluster.PostgreSql;
using Npgsql;

namespace Actors.Cluster.Tests.Membership;

/// <summary>
/// The PostgreSQL cluster store migrates its schema: a database left by a silo of schema version 1 (as that silo created
/// it, rows and all) is brought to the current version (3) once, under the schema lock, keeping every row; a database
/// migrated by a newer silo is refused.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlSchemaMigrationTests(PostgresServer server)
{
    /// <summary>The schema exactly as silos of version 1 created it (released; never edit).</summary>
    private const string VersionOneSchema = """
        CREATE TABLE IF NOT EXISTS actors_schema (id int PRIMARY KEY, version int NOT NULL);
        CREATE TABLE IF NOT EXISTS actors_cluster (
            cluster_id text PRIMARY KEY,
            partition_count int NOT NULL CHECK (partition_count > 0),
            table_version bigint NOT NULL,
            created_at timestamptz NOT NULL DEFAULT clock_timestamp());
        CREATE TABLE IF NOT EXISTS actors_silos (
            cluster_id text NOT NULL REFERENCES actors_cluster(cluster_id),
            name text NOT NULL,
            incarnation bigint NOT NULL,
            status smallint NOT NULL,
            silo_endpoint text NOT NULL,
            gateway_endpoint text NULL,
            lease_expires_at timestamptz NOT NULL,
            started_at timestamptz NOT NULL,
            version bigint NOT NULL,
            PRIMARY KEY (cluster_id, name));
        CREATE TABLE IF NOT EXISTS actors_partitions (
            cluster_id text NOT NULL REFERENCES actors_cluster(cluster_id),
            partition int NOT NULL,
            owner text NULL,
            owner_incarnation bigint NOT NULL,
            epoch bigint NOT NULL,
            state smallint NOT NULL,
            target text NULL,
            version bigint NOT NULL,
            PRIMARY KEY (cluster_id, partition));
        INSERT INTO actors_schema (id, version) VALUES (1, 1) ON CONFLICT (id) DO NOTHING;
        INSERT INTO actors_cluster (cluster_id, partition_count, table_version) VALUES ('legacy', 4, 7);
        INSERT INTO actors_silos VALUES ('legacy', 'old-silo', 3, 3, 'old:1', 'old:2', clock_timestamp(), clock_timestamp(), 5);
        INSERT INTO actors_partitions SELECT 'legacy', p, 'old-silo', 3, 2, 0, NULL, 4 FROM generate_series(0, 3) AS p;
        """;

    [Fact]
    public async Task InitializeAsync_DatabaseAtVersionOne_MigratedOnceKeepingEveryRow()
    {
        string database = await server.CreateDatabaseAsync(VersionOneSchema);
        await using var first = new PostgreSqlClusterStore(database);
        await using var second = new PostgreSqlClusterStore(database);
        await using var third = new PostgreSqlClusterStore(database);

        ClusterSnapshot[] snapshots = await Task.WhenAll(
            first.InitializeAsync("legacy", 16, CancellationToken.None),
            second.InitializeAsync("legacy", 16, CancellationToken.None),
            third.InitializeAsync("fresh", 2, CancellationToken.None));

        ClusterSnapshot legacy = snapshots[0];
        Assert.Equal(4, legacy.PartitionCount);
        Assert.Equal(7, legacy.TableVersion);
        SiloRecord silo = Assert.Single(legacy.Silos);
        Assert.Equal(("old-silo", 3L, SiloStatus.Left, "old:2", 5L), (silo.Name, silo.Incarnation, silo.Status, silo.GatewayEndpoint, silo.Version));
        Assert.All(legacy.Partitions, p => Assert.Equal(("old-silo", 2L, 4L), (p.Owner, p.Epoch, p.Version)));
        Assert.All(legacy.Partitions, p => Assert.False(p.IsReplicated, $"a legacy row reads as unreplicated: {p}"));
        Assert.Equal(2, snapshots[2].PartitionCount);
        await using NpgsqlDataSource source = NpgsqlDataSource.Create(database);
        Assert.Equal(3, await ScalarAsync<int>(source, "SELECT version FROM actors_schema WHERE id = 1"));
        Assert.Equal(1L, await ScalarAsync<long>(source, "SELECT count(*) FROM actors_schema_history WHERE version = 2"));
        Assert.Equal(1L, await ScalarAsync<long>(source, "SELECT count(*) FROM actors_schema_history WHERE version = 3"));
        Assert.Equal(2L, await ScalarAsync<long>(source, "SELECT count(*) FROM actors_schema_history"));
        Assert.Equal(7L, await ScalarAsync<long>(source, "SELECT min(changed_in) FROM actors_partitions WHERE cluster_id = 'legacy'"));

        PartitionRecord moved = legacy.Partitions[1] with { Owner = null, OwnerIncarnation = 0 };
        Assert.True(await first.TryApplyAsync("legacy", new ClusterUpdate().Write(moved, moved.Version), CancellationToken.None));
        Assert.Equal(8L, await ScalarAsync<long>(source, "SELECT changed_in FROM actors_partitions WHERE cluster_id = 'legacy' AND partition = 1"));
        Assert.Equal(7L, await ScalarAsync<long>(source, "SELECT changed_in FROM actors_partitions WHERE cluster_id = 'legacy' AND partition = 2"));
        await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<int>(source, "UPDATE actors_silos SET status = 9 RETURNING 1"));
    }

    [Fact]
    public async Task InitializeAsync_DatabaseMigratedByANewerSilo_RefusedNamingBothVersions()
    {
        string database = await server.CreateDatabaseAsync(VersionOneSchema + "UPDATE actors_schema SET version = 99;");
        await using var store = new PostgreSqlClusterStore(database);

        ClusterStoreException error = await Assert.ThrowsAsync<ClusterStoreException>(() => store.InitializeAsync("legacy", 4, CancellationToken.None));

        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
        await using NpgsqlDataSource source = NpgsqlDataSource.Create(database);
        Assert.Equal(99, await ScalarAsync<int>(source, "SELECT version FROM actors_schema WHERE id = 1"));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource source, string sql)
    {
        await using NpgsqlCommand command = source.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
