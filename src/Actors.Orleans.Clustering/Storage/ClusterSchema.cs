namespace Actors.Orleans.Clustering.Storage;

/// <summary>
/// The cluster layer's own tables (beside <c>actors_replica_configurations</c>, the partition rows of
/// Actors.Replication.PostgreSql), created when missing under a transaction-level advisory lock so silos starting together
/// do not race on the DDL.
/// </summary>
/// <remarks>
/// <c>actors_orleans_clusters</c>: one row per Orleans ClusterId, its partition count fixed at the first start and its
/// partition function's format. <c>actors_orleans_replicas</c>: one row per replica (a silo's log directory), its number
/// (the <c>leader</c>/<c>replicas</c> values of the partition rows) and the Orleans address of the silo that last opened it.
/// </remarks>
internal static class ClusterSchema
{
    /// <summary>The advisory lock key of this schema and of replica number allocation ("ACOC" as an integer).</summary>
    public const long LockKey = 0x41434F43;

    /// <summary>The partition function (<see cref="Partitioning.GrainPartitions"/>) a cluster row was created with.</summary>
    public const int PartitionFormat = 1;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS actors_orleans_clusters (
            cluster_id text PRIMARY KEY,
            partition_count int NOT NULL CHECK (partition_count > 0),
            partition_format int NOT NULL,
            created_at timestamptz NOT NULL DEFAULT clock_timestamp());
        CREATE TABLE IF NOT EXISTS actors_orleans_replicas (
            cluster_id text NOT NULL REFERENCES actors_orleans_clusters(cluster_id),
            replica int NOT NULL CHECK (replica > 0),
            silo_name text NOT NULL,
            silo_address text NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            PRIMARY KEY (cluster_id, replica));
        """;
}
