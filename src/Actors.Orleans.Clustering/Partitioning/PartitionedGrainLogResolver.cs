using System.Collections.Concurrent;
using Actors.Orleans.Clustering.Diagnostics;
using Actors.Orleans.Clustering.Storage;
using Actors.Orleans.Log;
using Actors.Replication;
using Actors.Replication.Configuration;
using Actors.Wal;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Partitioning;

/// <summary>
/// The <see cref="IGrainLogResolver"/> of a replicated cluster: a grain's streams are served only by the silo leading the
/// grain's partition, under an epoch this silo's incarnation took. With a replication factor of 1 a partition's log is
/// the leader's silo log (every partition the silo leads shares its one log and group commit).
/// </summary>
/// <remarks>
/// <para>The first call for a partition in this incarnation reads the partition's row (creating it with this silo as first
/// leader when the partition has none), and when this silo's replica leads it, takes a new epoch by a conditional update
/// of the row; later calls check an in-memory set. A call for a partition another replica leads is refused with
/// <see cref="WriteAheadLogUnavailableException"/> (nothing read or stored) and the calling activation is deactivated, so
/// that a retry is placed again, on the leader.</para>
/// <para>Thread-safe: epochs are taken one at a time.</para>
/// </remarks>
internal sealed partial class PartitionedGrainLogResolver(
    ClusterReplica replica,
    PartitionView view,
    SiloLog log,
    IGrainContextAccessor contexts,
    ILogger<PartitionedGrainLogResolver> logger) : IGrainLogResolver
{
    private readonly ConcurrentDictionary<int, long> _held = new();
    private readonly SemaphoreSlim _taking = new(1, 1);

    /// <summary>The partitions this incarnation leads and the epoch it took for each.</summary>
    public IReadOnlyDictionary<int, long> Held => _held;

    /// <inheritdoc />
    public async ValueTask<IEventLog> GetLogAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        int partition = GrainPartitions.GetPartition(grainId, replica.PartitionCount);
        if (!_held.ContainsKey(partition))
        {
            await TakeAsync(grainId, partition, cancellationToken).ConfigureAwait(false);
        }

        return log.Log;
    }

    private async Task TakeAsync(GrainId grainId, int partition, CancellationToken cancellationToken)
    {
        await _taking.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_held.ContainsKey(partition))
            {
                return;
            }

            var me = new ReplicaId(replica.Id);
            var store = replica.Catalog.Partition(partition);
            ReplicaConfiguration current = await store.InitializeAsync(ReplicaConfiguration.Initial(me, [me]), cancellationToken).ConfigureAwait(false);
            while (current.Leader == me)
            {
                ConfigurationWriteResult written = await store.TryWriteAsync(current.Version, current.WithNewLeader(me), cancellationToken).ConfigureAwait(false);
                current = written.Current;
                if (written.Applied)
                {
                    _held[partition] = current.Epoch;
                    view.Publish(new PartitionRow(partition, current.Version, current.Epoch, current.Leader.Value));
                    ClusteringInstruments.EpochTaken();
                    LogLeading(partition, current.Epoch, me.Value);
                    return;
                }
            }

            view.Publish(new PartitionRow(partition, current.Version, current.Epoch, current.Leader.Value));
            Refuse(grainId, partition, current.Leader.Value);
        }
        catch (ReplicaConfigurationStoreException ex)
        {
            throw new WriteAheadLogUnavailableException($"Grain {grainId} is in partition {partition}, whose row in PostgreSQL could not be read or written, so this silo cannot tell whether it leads the partition: {ex.Message}. Retry later. Nothing was read or stored.", ex);
        }
        finally
        {
            _taking.Release();
        }
    }

    private void Refuse(GrainId grainId, int partition, int leader)
    {
        string message = $"Grain {grainId} is in partition {partition}, led by replica {leader} (silo {view.AddressOf(leader) ?? "unknown"}), not by this silo {replica.SiloAddress} (replica {replica.Id}): its log holds none of the partition's data. The activation here is deactivated; retry the call, it is placed on the leader. Nothing was read or stored.";
        if (contexts.GrainContext is { } context && context.GrainId == grainId)
        {
            context.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, $"partition {partition} is led by replica {leader}, not this silo"));
        }

        ClusteringInstruments.StorageRefused();
        LogRefused(grainId, partition, leader);
        throw new WriteAheadLogUnavailableException(message);
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Leading partition {Partition} under epoch {Epoch} (replica {Replica})")]
    private partial void LogLeading(int partition, long epoch, int replica);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Refused a storage call of grain {GrainId}: partition {Partition} is led by replica {Leader}, not this silo")]
    private partial void LogRefused(GrainId grainId, int partition, int leader);
}
