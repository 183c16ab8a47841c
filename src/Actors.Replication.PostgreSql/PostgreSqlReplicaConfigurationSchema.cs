namespace Actors.Replication.PostgreSql;

/// <summary>The replica configuration table, created under a transaction-level advisory lock so stores starting together do not race on the DDL.</summary>
internal static class PostgreSqlReplicaConfigurationSchema
{
    /// <summary>The advisory lock key of this schema ("ACRP" as an integer; the cluster store uses "ACTR").</summary>
    public const long LockKey = 0x41435250;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS actors_replica_configurations (
            cluster_id text NOT NULL,
            partition int NOT NULL,
            version bigint NOT NULL CHECK (version > 0),
            epoch bigint NOT NULL CHECK (epoch > 0),
            leader int NOT NULL,
            replicas int[] NOT NULL,
            in_sync int[] NOT NULL,
            PRIMARY KEY (cluster_id, partition),
            CHECK (leader = ANY (in_sync)),
            CHECK (in_sync <@ replicas));
        """;
}
