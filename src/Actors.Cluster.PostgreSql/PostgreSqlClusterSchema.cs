namespace Actors.Cluster.PostgreSql;

/// <summary>
/// The cluster store's schema and its migrations. <c>actors_schema</c> holds the version a database is at;
/// <c>actors_schema_history</c> (from version 2) records when each migration was applied. The silo that initializes the
/// store first applies every missing migration, in order, in one transaction under a transaction-level advisory lock, so
/// silos starting together neither race on the DDL nor apply a migration twice; a database at a newer version than this
/// silo knows is refused (a <c>ClusterStoreException</c>), never written with an older layout.
/// </summary>
/// <remarks>
/// A migration is never edited once released: a change of layout is a new migration appended to <see cref="Migrations"/>.
/// Each migration is also safe to run against a database that already has its objects (IF NOT EXISTS), because version 1
/// databases created before the history existed recorded only their version.
/// </remarks>
internal static class PostgreSqlClusterSchema
{
    /// <summary>The advisory lock key of schema changes ("ACTR" as an integer).</summary>
    public const long LockKey = 0x41435452;

    /// <summary>The version this code reads and writes: the last migration's.</summary>
    public static int Version => Migrations.Count;

    /// <summary>Creates the version table (before the version is read).</summary>
    public const string CreateVersionTable = "CREATE TABLE IF NOT EXISTS actors_schema (id int PRIMARY KEY, version int NOT NULL)";

    /// <summary>Migration <c>i + 1</c> takes a database from version <c>i</c> to <c>i + 1</c>.</summary>
    public static IReadOnlyList<(string Description, string Sql)> Migrations { get; } =
    [
        ("cluster, silos and partitions tables", """
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
            """),
        ("migration history; the table version of each row's last change (changed_in, indexed: the key of delta reads); status and state range checks", """
            CREATE TABLE IF NOT EXISTS actors_schema_history (
                version int PRIMARY KEY,
                description text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT clock_timestamp());
            ALTER TABLE actors_silos ADD COLUMN IF NOT EXISTS changed_in bigint NOT NULL DEFAULT 0;
            ALTER TABLE actors_partitions ADD COLUMN IF NOT EXISTS changed_in bigint NOT NULL DEFAULT 0;
            UPDATE actors_silos s SET changed_in = c.table_version FROM actors_cluster c WHERE c.cluster_id = s.cluster_id;
            UPDATE actors_partitions p SET changed_in = c.table_version FROM actors_cluster c WHERE c.cluster_id = p.cluster_id;
            CREATE INDEX IF NOT EXISTS actors_silos_changed_in ON actors_silos (cluster_id, changed_in);
            CREATE INDEX IF NOT EXISTS actors_partitions_changed_in ON actors_partitions (cluster_id, changed_in);
            ALTER TABLE actors_silos DROP CONSTRAINT IF EXISTS actors_silos_status_check;
            ALTER TABLE actors_silos ADD CONSTRAINT actors_silos_status_check CHECK (status BETWEEN 0 AND 4);
            ALTER TABLE actors_partitions DROP CONSTRAINT IF EXISTS actors_partitions_state_check;
            ALTER TABLE actors_partitions ADD CONSTRAINT actors_partitions_state_check CHECK (state BETWEEN 0 AND 1);
            """),
        ("replicated partitions: the replica silos and the in-sync set of each partition, granted with its owner and epoch", """
            ALTER TABLE actors_partitions ADD COLUMN IF NOT EXISTS replicas text[] NOT NULL DEFAULT '{}';
            ALTER TABLE actors_partitions ADD COLUMN IF NOT EXISTS in_sync text[] NOT NULL DEFAULT '{}';
            """),
    ];
}
