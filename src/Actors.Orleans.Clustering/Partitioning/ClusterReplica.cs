using Actors.Orleans.Clustering.Storage;
using Actors.Replication.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Partitioning;

/// <summary>
/// This silo as a replica of the cluster: at start (after the silo's log opened, before any grain activates) it creates
/// the cluster's rows when missing, refuses a partition count other than the cluster's, and takes the replica number its
/// log directory holds (<see cref="ReplicaIdentityFile"/>), or a new one for a directory that never joined, recording
/// the silo's current Orleans address for it.
/// </summary>
/// <remarks>Thread-safe. <see cref="Id"/> throws until the start completed.</remarks>
internal sealed partial class ClusterReplica : ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    /// <summary>The stage: right after the silo's log opens (<see cref="ServiceLifecycleStage.RuntimeStorageServices"/>).</summary>
    public const int Stage = ServiceLifecycleStage.RuntimeStorageServices + 1;

    private readonly WriteAheadLogReplicationOptions _options;
    private readonly SiloLogOptions _log;
    private readonly ILocalSiloDetails _silo;
    private readonly ILogger _logger;
    private int _id;
    private int _partitionCount;

    public ClusterReplica(
        IOptions<WriteAheadLogReplicationOptions> options,
        IOptions<SiloLogOptions> log,
        IOptions<ClusterOptions> cluster,
        ILocalSiloDetails silo,
        ILogger<ClusterReplica> logger)
    {
        _options = options.Value;
        _log = log.Value;
        _silo = silo;
        _logger = logger;
        Catalog = new ClusterCatalog(_options.ConnectionString ?? "Host=unset", cluster.Value.ClusterId);
    }

    /// <summary>The cluster's rows.</summary>
    public ClusterCatalog Catalog { get; }

    /// <summary>The cluster's partition count (the one stored with the cluster).</summary>
    /// <exception cref="InvalidOperationException">The silo has not reached <see cref="Stage"/>.</exception>
    public int PartitionCount => Volatile.Read(ref _partitionCount) is > 0 and int count ? count : throw new InvalidOperationException("The cluster's partition count is not known before the silo's storage stage.");

    /// <summary>This silo's Orleans address.</summary>
    public SiloAddress SiloAddress => _silo.SiloAddress;

    /// <summary>This silo's replica number.</summary>
    /// <exception cref="InvalidOperationException">The silo has not reached <see cref="Stage"/>.</exception>
    public int Id => Volatile.Read(ref _id) is > 0 and int id ? id : throw new InvalidOperationException("The silo's replica number is not known before its storage stage.");

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(ClusterReplica), Stage, StartAsync);
    }

    /// <summary>Joins the cluster (see the summary of <see cref="ClusterReplica"/>).</summary>
    /// <exception cref="WriteAheadLogReplicationException">The silo cannot join; the message says why.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(_log.Directory))
        {
            throw new WriteAheadLogReplicationException(
                $"AddWriteAheadLogReplication needs the silo's write-ahead log: call AddWriteAheadLog with {nameof(SiloLogOptions)}.{nameof(SiloLogOptions.Directory)} set (the directory holds the partitions this silo leads).");
        }

        try
        {
            int requested = _options.PartitionCount ?? WriteAheadLogReplicationOptions.DefaultPartitionCount;
            (int partitionCount, int format) = await Catalog.EnsureClusterAsync(requested, cancellationToken).ConfigureAwait(false);
            if (format != ClusterSchema.PartitionFormat)
            {
                throw new WriteAheadLogReplicationException(
                    $"Cluster '{Catalog.ClusterId}' was created with partition format {format}; this silo knows {ClusterSchema.PartitionFormat}: grains would be looked for in partitions that do not hold them. Run every silo of the cluster with one release's partition format.");
            }

            if (_options.PartitionCount is { } configured && configured != partitionCount)
            {
                throw new WriteAheadLogReplicationException(
                    $"{nameof(WriteAheadLogReplicationOptions)}.{nameof(WriteAheadLogReplicationOptions.PartitionCount)} is {configured}, but cluster '{Catalog.ClusterId}' was created with {partitionCount} partitions: grains would be looked for in partitions that do not hold them. Configure {partitionCount} on every silo, or leave the setting unset to take the cluster's.");
            }

            Volatile.Write(ref _partitionCount, partitionCount);

            string address = _silo.SiloAddress.ToParsableString();
            int id;
            if (ReplicaIdentityFile.Read(_log.Directory) is { } identity)
            {
                if (identity.ClusterId != Catalog.ClusterId)
                {
                    throw new WriteAheadLogReplicationException(
                        $"The log directory '{_log.Directory}' holds replica {identity.Replica} of cluster '{identity.ClusterId}' (file {ReplicaIdentityFile.FileName}), not of this silo's cluster '{Catalog.ClusterId}': its partitions would be served to the wrong cluster. Use the directory with its own cluster, or an empty directory.");
                }

                if (!await Catalog.UpdateReplicaAsync(identity.Replica, _silo.Name, address, cancellationToken).ConfigureAwait(false))
                {
                    throw new WriteAheadLogReplicationException(
                        $"The log directory '{_log.Directory}' holds replica {identity.Replica} of cluster '{Catalog.ClusterId}', which table actors_orleans_replicas does not know (was the database replaced?): the partitions it leads cannot be found. Restore the cluster's PostgreSQL rows.");
                }

                id = identity.Replica;
            }
            else
            {
                id = await Catalog.AllocateReplicaAsync(_silo.Name, address, cancellationToken).ConfigureAwait(false);
                ReplicaIdentityFile.Write(_log.Directory, Catalog.ClusterId, id);
            }

            Volatile.Write(ref _id, id);
            LogJoined(Catalog.ClusterId, id, _log.Directory, address, partitionCount);
        }
        catch (ReplicaConfigurationStoreException ex)
        {
            throw new WriteAheadLogReplicationException($"The silo could not join cluster '{Catalog.ClusterId}' in PostgreSQL ({nameof(WriteAheadLogReplicationOptions)}.{nameof(WriteAheadLogReplicationOptions.ConnectionString)}): {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Catalog.DisposeAsync();

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Joined cluster {ClusterId} as replica {Replica} (log directory {Directory}, silo {SiloAddress}, {PartitionCount} partitions)")]
    private partial void LogJoined(string clusterId, int replica, string directory, string siloAddress, int partitionCount);
}
