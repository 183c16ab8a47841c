using System.Collections.Concurrent;
using Actors.Orleans.Clustering.Diagnostics;
using Actors.Orleans.Clustering.Replication;
using Actors.Orleans.Clustering.Storage;
using Actors.Orleans.Log;
using Actors.Replication;
using Actors.Replication.Configuration;
using Actors.Replication.Wal;
using Actors.Wal;
using Microsoft.Extensions.Options;
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
    SiloReplicas replicas,
    PartitionActivations activations,
    IOptions<WriteAheadLogReplicationOptions> options,
    IGrainContextAccessor contexts,
    ILogger<PartitionedGrainLogResolver> logger) : IGrainLogResolver
{
    /// <summary>How long a call waits for this silo's replica to take (or confirm) its leadership and read lease before it is refused.</summary>
    public static readonly TimeSpan LeadershipWait = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<int, long> _held = new();
    private readonly SemaphoreSlim _taking = new(1, 1);

    /// <summary>The partitions this incarnation leads and the epoch it took for each.</summary>
    public IReadOnlyDictionary<int, long> Held => _held;

    /// <inheritdoc />
    public async ValueTask<IEventLog> GetLogAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        int partition = GrainPartitions.GetPartition(grainId, replica.PartitionCount);
        if (options.Value.ReplicationFactor > 1)
        {
            return await GetReplicatedLogAsync(grainId, partition, cancellationToken).ConfigureAwait(false);
        }

        if (!_held.ContainsKey(partition))
        {
            await TakeAsync(grainId, partition, cancellationToken).ConfigureAwait(false);
        }

        return log.Log;
    }

    /// <summary>
    /// Replication factor above 1: the partition's replicated log when this silo's replica leads, holds its read lease and
    /// its materialized log caught up with every entry it held when it took over; else a refusal naming the leader.
    /// </summary>
    private async ValueTask<IEventLog> GetReplicatedLogAsync(GrainId grainId, int partition, CancellationToken cancellationToken)
    {
        int me = replica.Id;
        IGrainContext? context = contexts.GrainContext is { } current && current.GrainId == grainId ? current : null;
        HeldReplica? held = replicas.Get(partition);
        try
        {
            if (held is null)
            {
                ReplicaConfiguration row = await replicas.Reads.ReadAsync(partition).ConfigureAwait(false);
                view.Publish(PartitionRow.Of(partition, row));
                if (!row.Replicas.Contains(new ReplicaId(me)))
                {
                    Refuse(grainId, partition, row.Leader.Value, "holds no replica of it", context);
                }

                held = await replicas.EnsureAsync(partition, row.Version, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ReplicaConfigurationStoreException ex)
        {
            throw new WriteAheadLogUnavailableException($"Grain {grainId} is in partition {partition}, whose row in PostgreSQL could not be read (or does not exist: its grains are placed first), so this silo cannot tell whether it leads the partition: {ex.Message}. Retry later. Nothing was read or stored.", ex);
        }

        if (held.HandingOver && context is not null && !activations.Tracks(partition, context))
        {
            // This silo is stopping and hands the partition over: a new activation's call waits (untracked, so the drain
            // does not wait for it), then is refused during its activation, which Orleans answers by placing it again, on
            // the new leader. An activation being drained finishes its calls here, under the leadership it still has.
            await held.HandOverEnded.WaitAsync(LeadershipWait, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (held.HandedOverTo != 0 && !held.Host.Status.IsLeader)
        {
            await RefreshRowAsync(partition).ConfigureAwait(false);
            Refuse(grainId, partition, held.HandedOverTo, "handed its leadership over (a graceful stop or a rebalance moved it)", context);
        }

        if (context is not null)
        {
            activations.Track(partition, context);
        }

        if (!held.Host.HoldsReadLease())
        {
            await WaitForLeadershipAsync(held, partition, me, cancellationToken).ConfigureAwait(false);
        }

        ReplicaStatus status = held.Host.Status;
        if (!held.Host.HoldsReadLease())
        {
            await RefreshRowAsync(partition).ConfigureAwait(false);
            Refuse(grainId, partition, status.Leader?.Value ?? 0, status.IsLeader ? "leads it without its read lease (its followers have not confirmed it recently)" : "does not lead it", context);
        }

        if (held.ServedEpoch != status.Epoch)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(LeadershipWait);
            try
            {
                await held.Log.Inner.CatchUpAsync(limit.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NotLeaderException or ReplicaHostFailedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                Refuse(grainId, partition, held.Host.Status.Leader?.Value ?? 0, $"could not bring its copy up to date ({ex.GetType().Name})", context);
            }

            if (!held.Host.HoldsReadLease() || held.Host.Status.Epoch != status.Epoch)
            {
                Refuse(grainId, partition, held.Host.Status.Leader?.Value ?? 0, "lost its leadership while bringing its copy up to date", context);
            }

            held.Serve(status.Epoch);
            LogServing(partition, status.Epoch, me);
        }

        return held.Log;
    }

    /// <summary>Reads the partition's row into the placement's view before a refusal, so that the retry is placed on the current leader.</summary>
    private async Task RefreshRowAsync(int partition)
    {
        try
        {
            view.Publish(PartitionRow.Of(partition, await replicas.Reads.ReadAsync(partition).ConfigureAwait(false)));
        }
        catch (ReplicaConfigurationStoreException)
        {
            // The refusal stands; the periodic refresh (ReplicaSupervisor) brings the view up to date.
        }
    }

    /// <summary>
    /// Waits (bounded) while this replica leads or may be about to lead the partition, until it holds its read lease. A
    /// replica that follows another leader may be about to lead when the row names it (a hand-over or an election its
    /// replica has not read yet): then it is asked to read the row now, and the call waits.
    /// </summary>
    private async Task WaitForLeadershipAsync(HeldReplica held, int partition, int me, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + LeadershipWait;
        bool? namedInRow = null;
        while (!held.Host.HoldsReadLease() && DateTime.UtcNow < deadline && held.Host.Failure is null)
        {
            ReplicaStatus status = held.Host.Status;
            if (!status.IsLeader && status.Leader is { } leader && leader.Value != me)
            {
                namedInRow ??= await NamedLeaderAsync(held, partition, me).ConfigureAwait(false);
                if (namedInRow == false)
                {
                    return;
                }
            }

            Task lease = held.Host.WaitForReadLeaseAsync();
            await Task.WhenAny(lease, Task.Delay(replicas.Options.HeartbeatInterval, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Whether the partition's row names this silo's replica leader (it then reads the row at once); false when unreadable.</summary>
    private async Task<bool> NamedLeaderAsync(HeldReplica held, int partition, int me)
    {
        try
        {
            ReplicaConfiguration row = await replicas.Reads.ReadAsync(partition).ConfigureAwait(false);
            view.Publish(PartitionRow.Of(partition, row));
            if (row.Leader.Value != me)
            {
                return false;
            }

            held.Host.RefreshConfiguration();
            return true;
        }
        catch (ReplicaConfigurationStoreException)
        {
            return false;
        }
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
                    view.Publish(PartitionRow.Of(partition, current));
                    ClusteringInstruments.EpochTaken();
                    LogLeading(partition, current.Epoch, me.Value);
                    return;
                }
            }

            view.Publish(PartitionRow.Of(partition, current));
            Refuse(grainId, partition, current.Leader.Value, "does not lead it");
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

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Refuse(GrainId grainId, int partition, int leader, string why, IGrainContext? caller = null)
    {
        string leaderText = leader > 0 ? $"replica {leader} (silo {view.AddressOf(leader) ?? "unknown"})" : "a replica not known yet (an election may be running)";
        string message = $"Grain {grainId} is in partition {partition}, led by {leaderText}; this silo {replica.SiloAddress} (replica {replica.Id}) {why}, so it serves none of the partition's data. The activation here is deactivated; retry the call, it is placed on the leader. Nothing was read or stored.";
        // The calling activation as captured when the call began (after an await the accessor may no longer know it), else
        // the grain's activation tracked here (a journaled grain retries a refused write or refresh off its scheduler, where
        // the accessor knows no activation). The refusal says it was deactivated, so that a journaled grain ends the call
        // instead of retrying within it (each retry would be refused again, and the activation could not deactivate while
        // the call runs: the calls queued for it would wait out their callers' timeouts instead of going to the leader).
        bool deactivated = false;
        IGrainContext? context = (caller ?? contexts.GrainContext) is { } current && current.GrainId == grainId ? current : activations.Find(partition, grainId);
        if (context is not null)
        {
            context.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, $"partition {partition} is led by replica {leader}, not this silo"));
            deactivated = true;
        }

        ClusteringInstruments.StorageRefused();
        LogRefused(grainId, partition, leader);
        throw new WriteAheadLogUnavailableException(message, activationDeactivated: deactivated);
    }

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Serving partition {Partition} under epoch {Epoch} (replica {Replica} leads it; its materialized log caught up)")]
    private partial void LogServing(int partition, long epoch, int replica);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Leading partition {Partition} under epoch {Epoch} (replica {Replica})")]
    private partial void LogLeading(int partition, long epoch, int replica);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Refused a storage call of grain {GrainId}: partition {Partition} is led by replica {Leader}, not this silo")]
    private partial void LogRefused(GrainId grainId, int partition, int leader);
}
