namespace Actors.Cluster;

/// <summary>
/// Options of a silo in a cluster, bound from configuration section <see cref="SectionName"/> (so
/// <c>ACTORS__CLUSTER__CLUSTERID</c> etc. apply) and validated when the silo starts (<see cref="ClusterOptionsValidator"/>).
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>The configuration section: <c>Actors:Cluster</c>.</summary>
    public const string SectionName = "Actors:Cluster";

    /// <summary>The default <see cref="ClusterId"/>.</summary>
    public const string DefaultClusterId = "actors";

    /// <summary>The default <see cref="PartitionCount"/>: 16.</summary>
    public const int DefaultPartitionCount = 16;

    /// <summary>The default silo-to-silo <see cref="Port"/>: 11111 (Orleans' silo port).</summary>
    public const int DefaultPort = 11111;

    /// <summary>The largest partition count: 65,536.</summary>
    public const int MaxPartitionCount = 65_536;

    /// <summary>The default <see cref="LeaseDuration"/>: 3 s.</summary>
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(3);

    /// <summary>The default <see cref="LeaseRenewPeriod"/>: 500 ms.</summary>
    public static readonly TimeSpan DefaultLeaseRenewPeriod = TimeSpan.FromMilliseconds(500);

    /// <summary>The default largest silo-to-silo frame: 16 MiB.</summary>
    public const int DefaultMaxFrameBytes = 16 * 1024 * 1024;

    /// <summary>The default partition transfer chunk: 1 MiB.</summary>
    public const int DefaultTransferChunkBytes = 1024 * 1024;

    /// <summary>The cluster's id: silos with the same id and store form one cluster. Default <see cref="DefaultClusterId"/>.</summary>
    public string ClusterId { get; set; } = DefaultClusterId;

    /// <summary>
    /// The number of partitions grain ids map to, used only when the cluster is created (then it is stored and every silo
    /// uses the stored count). Default 16; at most <see cref="MaxPartitionCount"/>. Each partition a silo owns has its own
    /// log per write-ahead-log store (its own group commit), so more partitions spread moves finer but split commits.
    /// </summary>
    public int PartitionCount { get; set; } = DefaultPartitionCount;

    /// <summary>The address the silo-to-silo listener binds. Default <c>127.0.0.1</c>; <c>0.0.0.0</c> in containers.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>The silo-to-silo port. Default <see cref="DefaultPort"/>; 0 picks an ephemeral port.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>
    /// The host other silos use to reach this one (written in the membership table). Null: the bind address, or the
    /// machine's host name when binding every address (the pod's DNS name in Kubernetes).
    /// </summary>
    public string? AdvertisedHost { get; set; }

    /// <summary>
    /// The shared secret silos prove to each other (HMAC-SHA256 challenge, never sent). Every silo of the cluster must have
    /// the same value. Null or empty: no secret (only acceptable on a private network).
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>TLS for silo-to-silo connections (off by default).</summary>
    public ClusterTlsOptions Tls { get; set; } = new();

    /// <summary>
    /// How long a lease lasts after a renewal, by the store's clock. A silo killed with SIGKILL is declared dead between
    /// this and this plus <see cref="LeaseRenewPeriod"/> (and a store round trip) later. Default 3 s.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = DefaultLeaseDuration;

    /// <summary>How often a silo renews its lease and looks for expired ones. Default 500 ms; at most a third of <see cref="LeaseDuration"/>.</summary>
    public TimeSpan LeaseRenewPeriod { get; set; } = DefaultLeaseRenewPeriod;

    /// <summary>
    /// The largest relative rate error between this silo's clock and the store's: the silo stops acting on a lease at
    /// (renewal sent + duration x (1 - rate)). Default 0.01.
    /// </summary>
    public double MaxClockDriftRate { get; set; } = 0.01;

    /// <summary>The largest silo-to-silo frame, in bytes. Default 16 MiB.</summary>
    public int MaxFrameBytes { get; set; } = DefaultMaxFrameBytes;

    /// <summary>How many requests one inbound connection runs at once before it stops reading (backpressure). Default 1,000.</summary>
    public int MaxConcurrentRequestsPerConnection { get; set; } = 1000;

    /// <summary>How many frames may wait to be written on one connection before senders wait (backpressure). Default 4,096.</summary>
    public int MaxQueuedFramesPerConnection { get; set; } = 4096;

    /// <summary>How long a connection may take to complete its handshake. Default 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a started frame may take to arrive completely. Default 30 s.</summary>
    public TimeSpan FrameReceiveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a connect (TCP and handshake) may take. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a control request (directory, transfer, grant) waits for its response. Default 10 s.</summary>
    public TimeSpan ControlRequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The size of one partition transfer chunk. Default 1 MiB; below <see cref="MaxFrameBytes"/>.</summary>
    public int TransferChunkBytes { get; set; } = DefaultTransferChunkBytes;

    /// <summary>How long one partition hand-off may take before it is abandoned (the old owner serves again). Default 2 min.</summary>
    public TimeSpan MoveTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a hand-off waits for the moving partition's grains while none of them finishes deactivating before it undoes
    /// the move (the old owner serves again; a later reconcile retries). Default 5 s; below <see cref="PartitionWaitTimeout"/>.
    /// </summary>
    /// <remarks>
    /// Calls into a moving partition wait until it is served again, and its grains deactivate only when their running
    /// requests end: a request that waits on a call into its own moving partition (or into another partition moving off
    /// another silo that calls back) would otherwise hold both until the call timed out.
    /// </remarks>
    public TimeSpan HandOffDrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many silo-to-silo hops a call may make before it fails (a routing loop guard). Default 4.</summary>
    public int MaxForwardHops { get; set; } = 4;

    /// <summary>How long a call waits for a partition to become servable (moving, being claimed) before it fails. Default 30 s.</summary>
    public TimeSpan PartitionWaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long after a partition's open failed for a reason that may pass (its replica lost the leadership while opening,
    /// an I/O error) the silo opens it again; the wait doubles with each failure under the same epoch up to
    /// <see cref="PartitionOpenRetryMaxDelay"/>, and a grant under a later epoch opens it at once. Calls wait meanwhile.
    /// Default 500 ms.
    /// </summary>
    public TimeSpan PartitionOpenRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest wait between two opens of a partition that keep failing for a reason that may pass. Default 10 s; at
    /// least <see cref="PartitionOpenRetryDelay"/> and below <see cref="PartitionWaitTimeout"/>, so a waiting call sees
    /// at least one more attempt.
    /// </summary>
    public TimeSpan PartitionOpenRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The default <see cref="ReplicationFactor"/>: 1 (each partition's logs on its owner's disk only).</summary>
    public const int DefaultReplicationFactor = 1;

    /// <summary>The largest <see cref="ReplicationFactor"/>: 5.</summary>
    public const int MaxReplicationFactor = 5;

    /// <summary>
    /// How many silos hold each partition's logs. Default 1: the owner's disk only, so a dead silo's WAL grains are
    /// unavailable until it returns (docs/cluster.md). 2 to <see cref="MaxReplicationFactor"/>: each partition's writes
    /// are acknowledged only once durable on its owner (the replication leader) and every in-sync replica, and an in-sync
    /// replica takes over when the owner dies (docs/replication.md).
    /// </summary>
    /// <remarks>
    /// A partition is claimed only when this many Active silos exist (its replicas are chosen then and never move), and a
    /// replicating silo must have exactly one write-ahead-log store. Every silo of a cluster must use the same value.
    /// </remarks>
    public int ReplicationFactor { get; set; } = DefaultReplicationFactor;

    /// <summary>
    /// The replication protocol's timing when <see cref="ReplicationFactor"/> is above 1 (section
    /// <c>Actors:Cluster:Replication</c>): heartbeat, how long a follower may lag before the leader drops it from the in-sync
    /// set, how long followers wait for a silent leader before one takes over. Defaults: 50 ms, 400 ms, 600 ms. Also when
    /// each replica checkpoints its partition's materialized log (<c>CheckpointEveryEntries</c> 65,536 /
    /// <c>CheckpointEveryBytes</c> 64 MiB of applied entries, whichever first) and the size of its entry-log segments
    /// (<c>EntryLogSegmentBytes</c>, 64 MiB), which bounds what a checkpoint can delete.
    /// </summary>
    public Actors.Replication.Options.ReplicaOptions Replication { get; set; } = new();
}
