namespace Actors.Orleans.Clustering;

/// <summary>
/// How the silos of an Orleans cluster share the write-ahead log (<c>AddWriteAheadLogReplication</c>): grains hashed to
/// <see cref="PartitionCount"/> partitions, each led by one silo, the partitions' configuration in PostgreSQL.
/// </summary>
public sealed class WriteAheadLogReplicationOptions
{
    /// <summary>
    /// The number of partitions a new cluster gets when <see cref="PartitionCount"/> is not set. 16 since 2026-11-29 (64
    /// before): at factor 3 on 2 cores, 16 partitions cost about 0.57x the CPU per replicated call of 64 (fewer, larger
    /// replication batches) and still spread leadership over up to 16 silos.
    /// </summary>
    public const int DefaultPartitionCount = 16;

    /// <summary>The largest partition count accepted.</summary>
    public const int MaxPartitionCount = 4096;

    /// <summary>The default replication factor (see <see cref="ReplicationFactor"/>).</summary>
    public const int DefaultReplicationFactor = 1;

    /// <summary>
    /// The Npgsql connection string of the PostgreSQL database that holds the cluster's partition rows (tables
    /// <c>actors_orleans_clusters</c>, <c>actors_orleans_replicas</c>, <c>actors_replica_configurations</c>, created on
    /// start when missing). Required. It may be the database of Orleans's ADO.NET membership.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The largest replication factor accepted.</summary>
    public const int MaxReplicationFactor = 5;

    /// <summary>
    /// How many silos hold each partition (1 to <see cref="MaxReplicationFactor"/>; default
    /// <see cref="DefaultReplicationFactor"/>). With 1 each partition lives in the log of the silo leading it and waits for
    /// that silo when it is down (no failover). Above 1 (3 is the usual choice) every write of a partition is acknowledged
    /// only once durable on each replica of its in-sync set, and when the leader's silo dies an in-sync follower takes the
    /// partition over within seconds. A partition gets its replicas when its first grain is placed, which needs at least
    /// this many active silos. Fixed per partition once its row exists.
    /// </summary>
    public int ReplicationFactor { get; set; } = DefaultReplicationFactor;

    /// <summary>
    /// How many partitions the grains are hashed to (1 to <see cref="MaxPartitionCount"/>). Fixed when the cluster is first
    /// started: it is stored with the cluster. Unset (null, the default), a silo takes the count its cluster was created with,
    /// and the first silo of a new cluster creates it with <see cref="DefaultPartitionCount"/>; set, a silo whose cluster was
    /// created with another count refuses to start, naming both.
    /// </summary>
    public int? PartitionCount { get; set; }
}
