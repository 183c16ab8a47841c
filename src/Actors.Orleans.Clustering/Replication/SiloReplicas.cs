using System.Collections.Concurrent;
using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Storage;
using Actors.Orleans.Log;
using Actors.Replication;
using Actors.Replication.Options;
using Actors.Replication.Wal;
using Actors.Wal;
using Actors.Wal.Entries.Journal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// The partition replicas this silo runs (replication factor above 1): one for each partition whose row names this silo's
/// replica, each put together by <see cref="ReplicaFactory"/> (a <see cref="ReplicaHost"/> over a log of the silo's one
/// <see cref="EntryJournal"/>, <c>{log directory}/replicas/journal</c>, its epoch and checkpoint files in
/// <c>{log directory}/replicas/{partition:D5}/entries</c>; a materialized log in <c>.../materialized</c> that serves the
/// partition's reads while this replica leads). This class decides which run: it starts, stops, restarts and retires them
/// one at a time under its gate.
/// </summary>
/// <remarks>
/// <para>A replica whose host failed is stopped as a crash would stop it and started again by a later
/// <see cref="ReconcileAsync"/> after a back-off (<see cref="ReplicaRestarts"/>), its entry log cut after the last entry
/// the failed host had synced; meanwhile the other replicas carry the partition.</para>
/// <para>A replica whose row no longer names it is stopped and its files deleted (<see cref="ReplicaRetirement"/>).</para>
/// <para>Thread-safe; replicas start and stop one at a time.</para>
/// </remarks>
internal sealed partial class SiloReplicas : IAsyncDisposable
{
    /// <summary>The subdirectory of the silo's log directory holding the replicas.</summary>
    public const string ReplicasDirectoryName = "replicas";

    /// <summary>The subdirectory of <see cref="ReplicasDirectoryName"/> holding the silo's entry journal.</summary>
    public const string JournalDirectoryName = "journal";

    private readonly ClusterReplica _replica;
    private readonly Lazy<IReplicaMessaging> _messaging;
    private readonly ReplicaOptions _options;
    private readonly PartitionActivations _activations;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<int, HeldReplica> _held = new();
    private readonly ReplicaRestarts _restarts;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ReplicaRetirement _retirement;
    private readonly SiloEntryJournal _journal;
    private readonly ReplicaFactory _factory;
    private volatile bool _stopped;
    private int _frozenForStop;

    public SiloReplicas(
        ClusterReplica replica,
        IOptions<SiloLogOptions> log,
        StreamRetentionRegistry retention,
        IServiceProvider services,
        PartitionActivations activations,
        IOptions<ReplicaOptions> options,
        ILoggerFactory loggers,
        TimeProvider? time = null)
    {
        _replica = replica;
        _messaging = new Lazy<IReplicaMessaging>(() => (IReplicaMessaging?)services.GetService(typeof(IReplicaMessaging))
            ?? throw new WriteAheadLogReplicationException(
                $"{nameof(WriteAheadLogReplicationOptions)}.{nameof(WriteAheadLogReplicationOptions.ReplicationFactor)} is above 1, but no messaging between the silos' partition replicas is registered (IReplicaMessaging): the replicas could not reach each other."));
        _options = options.Value;
        _activations = activations;
        _logger = loggers.CreateLogger<SiloReplicas>();
        time ??= TimeProvider.System;
        Reads = new CoalescedConfigurationReads(replica.Catalog);
        string replicasRoot = Path.Combine(log.Value.Directory, ReplicasDirectoryName);
        _journal = new SiloEntryJournal(Path.Combine(replicasRoot, JournalDirectoryName), _options, loggers.CreateLogger<SiloEntryJournal>());
        _restarts = new ReplicaRestarts(time);
        _factory = new ReplicaFactory(replica, log.Value, retention, _messaging, _options, Reads, _journal, _restarts, DeactivateAll, loggers, time);
        _retirement = new ReplicaRetirement(this, replica, activations, replicasRoot, loggers.CreateLogger<ReplicaRetirement>());
    }

    /// <summary>The partition rows' reads every replica here shares.</summary>
    public CoalescedConfigurationReads Reads { get; }

    /// <summary>The messaging between the silos' replicas (resolved on first use; the last registration wins).</summary>
    /// <exception cref="WriteAheadLogReplicationException">None is registered.</exception>
    public IReplicaMessaging Messaging => _messaging.Value;

    /// <summary>The protocol's timing.</summary>
    public ReplicaOptions Options => _options;

    /// <summary>This silo's replica of <paramref name="partition"/>, or null when it runs none.</summary>
    public HeldReplica? Get(int partition) => _held.TryGetValue(partition, out HeldReplica? held) ? held : null;

    /// <summary>Every replica this silo runs now.</summary>
    public ICollection<HeldReplica> Held => _held.Values;

    /// <summary>The fsyncs of the silo's entry journal since it was opened (0 before; each covers every replica's records appended before it).</summary>
    public long JournalSyncs => _journal.Syncs;

    /// <summary>
    /// Stops every replica whose host failed; retires the replicas <paramref name="rows"/> no longer name (confirmed on a
    /// fresh read, <see cref="ReplicaRetirement"/>); then starts one for every partition of <paramref name="rows"/> naming
    /// this silo's replica that it does not run, unless a restart's back-off still runs. A replica that cannot start is
    /// logged and retried after a back-off; it does not keep the others from starting.
    /// </summary>
    public async Task ReconcileAsync(IReadOnlyCollection<PartitionRow> rows, CancellationToken cancellationToken)
    {
        foreach (HeldReplica held in _held.Values.ToArray())
        {
            if (held.Host.Failure is { } failure)
            {
                await StopForRestartAsync(held, $"its host failed: {failure.InnerException?.Message ?? failure.Message}", held.Host.Status.DurableLsn).ConfigureAwait(false);
            }
        }

        try
        {
            await _retirement.ReconcileAsync(rows, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRetireFailed(ex);
        }

        int me = _replica.Id;
        foreach (PartitionRow row in rows)
        {
            int partition = row.Partition;
            if (_stopped || !row.Names(me) || _held.ContainsKey(partition))
            {
                continue;
            }

            ReplicaRestart? restart = _restarts.Of(partition);
            if (_restarts.Waits(restart))
            {
                continue;
            }

            try
            {
                await EnsureAsync(partition, row.Version, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                ReplicaRestart next = _restarts.StartFailed(restart, partition, ex);
                LogStartFailed(ex, partition, me, next.Failures, next.RetryAt);
            }
        }
    }

    /// <summary>
    /// Starts this silo's replica of <paramref name="partition"/> unless it runs already; returns it. <paramref name="rowVersion"/>
    /// is the version of the row naming it that the caller read (<see cref="HeldReplica.RowVersion"/>).
    /// </summary>
    /// <exception cref="WriteAheadLogUnavailableException">The silo is stopping.</exception>
    public async Task<HeldReplica> EnsureAsync(int partition, long rowVersion, CancellationToken cancellationToken)
    {
        if (Get(partition) is { } running)
        {
            return running;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Get(partition) is { } started)
            {
                return started;
            }

            if (_stopped)
            {
                throw new WriteAheadLogUnavailableException($"Partition {partition}: this silo is stopping; its replicas no longer start. Retry the call: it is placed on the partition's leader.");
            }

            return await StartAsync(partition, rowVersion, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<HeldReplica> StartAsync(int partition, long rowVersion, CancellationToken cancellationToken)
    {
        _retirement.FinishInterrupted(partition);
        HeldReplica held = await _factory.StartAsync(partition, _retirement.DirectoryOf(partition), rowVersion, cancellationToken).ConfigureAwait(false);
        _held[partition] = held;

        // Held first, then the flag read (both full fences): a replica started while the silo begins to stop is frozen here
        // or by FreezeForStop.
        if (Interlocked.CompareExchange(ref _frozenForStop, 0, 0) != 0)
        {
            Freeze(held.Host);
        }

        _restarts.Started(partition);
        return held;
    }

    /// <summary>The silo's journal (opened on first use). Under the gate.</summary>
    internal EntryJournal Journal() => _journal.Get();

    /// <summary>
    /// Under the gate, unless the silo stops or <paramref name="held"/> is no longer this silo's replica of
    /// <paramref name="partition"/> (null: unless it runs one): takes the held replica out and runs <paramref name="retire"/>
    /// (<see cref="ReplicaRetirement"/>); true when it ran.
    /// </summary>
    internal async Task<bool> RetireAsync(int partition, HeldReplica? held, Func<Task> retire)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_stopped || !ReferenceEquals(_held.GetValueOrDefault(partition), held))
            {
                return false;
            }

            _held.TryRemove(partition, out _);
            _restarts.Forget(partition);
            await retire().ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task StopForRestartAsync(HeldReplica held, string reason, long? durableLsn)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_stopped || !_held.TryGetValue(held.Partition, out HeldReplica? current) || !ReferenceEquals(current, held))
            {
                return;
            }

            _held.TryRemove(held.Partition, out _);
            await StopAsync(held, graceful: false).ConfigureAwait(false);
            ReplicaRestart restart = _restarts.Stopped(held, reason, durableLsn);
            LogStoppedForRestart(held.Partition, held.Host.Id.Value, reason, restart.Failures, restart.RetryAt);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Unregisters the replica's messaging, disposes its host (closing its entry log) and applier, and closes (<paramref name="graceful"/>) or abandons its materialized log.</summary>
    internal Task StopAsync(HeldReplica held, bool graceful) => _factory.StopAsync(held, graceful);

    /// <summary>
    /// The silo stops with the leaderships it still holds (a stop that is not graceful, or a graceful one after its
    /// hand-over): every replica here, and every one started from now on, retires (<see cref="ReplicaHost.Retire"/>: it
    /// stands for no election) and freezes its in-sync set (<see cref="ReplicaHost.FreezeInSyncSet"/>: as leader it removes
    /// no follower). Its links close before its replicas stop, and a leader here would otherwise see its followers fall
    /// silent and leave itself alone in the row's in-sync set, which no follower could then take over. Idempotent.
    /// </summary>
    public void FreezeForStop()
    {
        Interlocked.Exchange(ref _frozenForStop, 1);
        foreach (HeldReplica held in _held.Values)
        {
            Freeze(held.Host);
        }
    }

    private static void Freeze(ReplicaHost host)
    {
        host.Retire();
        host.FreezeInSyncSet();
    }

    /// <summary>
    /// Stops every replica (each frozen first, <see cref="FreezeForStop"/>, so that no leader still running here
    /// removes a follower while the others stop): <paramref name="graceful"/> closes the materialized logs; otherwise (the
    /// silo is killed) they are abandoned as a crash would leave them. The entry logs hold every synced entry either way.
    /// </summary>
    public async Task StopAllAsync(bool graceful)
    {
        FreezeForStop();
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _stopped = true;
            foreach (HeldReplica held in _held.Values.ToArray())
            {
                _held.TryRemove(held.Partition, out _);
                try
                {
                    await StopAsync(held, graceful).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or WalException or ReplicationException or ObjectDisposedException)
                {
                    LogStopFailed(ex, held.Partition);
                }
            }

            _journal.Dispose();
            await _factory.StopTickerAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAllAsync(graceful: true).ConfigureAwait(false);

    /// <summary>
    /// A write failed on the partition's replicated log because this replica no longer leads it (or stopped): the calling
    /// activation's in-memory state may be ahead of the partition's, and no activation of the partition may be served here
    /// any more, so all of them go, before the failure reaches the caller. (The caller is among them: the resolver tracked
    /// it; the failure may complete on any thread, where the calling grain's context is not known.)
    /// </summary>
    private void DeactivateAll(int partition, Exception failure)
    {
        _held.GetValueOrDefault(partition)?.StopServing();
        int count = _activations.DeactivateAll(partition, $"a write to partition {partition} failed ({failure.GetType().Name}): this silo's replica does not lead it any more");
        LogWriteFailedDeactivated(partition, failure.GetType().Name, count);
    }

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "Replica {Replica} of partition {Partition} could not be started (failure {Failures} in a row); next attempt at {RetryAt:O}")]
    private partial void LogStartFailed(Exception exception, int partition, int replica, int failures, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Replica {Replica} of partition {Partition} stopped ({Reason}); failure {Failures} in a row, started again at {RetryAt:O} while the partition's row names this silo")]
    private partial void LogStoppedForRestart(int partition, int replica, string reason, int failures, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 37, Level = LogLevel.Information, Message = "A write to partition {Partition} failed ({Failure}): this silo's replica does not lead it any more; {Count} activations deactivated")]
    private partial void LogWriteFailedDeactivated(int partition, string failure, int count);

    [LoggerMessage(EventId = 38, Level = LogLevel.Warning, Message = "Retiring the replicas that their rows no longer name failed; tried again at the next reconcile")]
    private partial void LogRetireFailed(Exception exception);

    [LoggerMessage(EventId = 36, Level = LogLevel.Warning, Message = "Replica of partition {Partition} did not stop cleanly")]
    private partial void LogStopFailed(Exception exception, int partition);
}
