namespace Actors.Cluster.PostgreSql;

/// <summary>
/// The cluster store's schema (version <see cref="Version"/>), created and migrated by the silo under a transaction-level
/// advisory lock, so silos starting together do not race on the DDL.
/// </summary>
internal static class PostgreSqlClusterSchema
{
    public const int Version = 1;

    /// <summary>The advisory lock key of schema changes ("ACTR" as an integer).</summary>
    public const long LockKey = 0x41435452;

    public const string Create = """
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
        """;
}
