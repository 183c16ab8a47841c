using System.Collections.Concurrent;
using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Storage;
using Actors.Orleans.Log;
using Actors.Replication;
using Actors.Replication.Options;
using Actors.Replication.Wal;
using Actors.Replication.Wal.EventLog;
using Actors.Replication.Wal.Materialized;
using Actors.Wal;
using Actors.Wal.Entries;
using Actors.Wal.Entries.Journal;
using Actors.Wal.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// The partition replicas this silo runs (replication factor above 1): for each partition whose row names this silo's
/// replica, a <see cref="ReplicaHost"/> over a log of the silo's one <see cref="EntryJournal"/>
/// (<c>{log directory}/replicas/journal</c>, the replica's epoch and checkpoint files in
/// <c>{log directory}/replicas/{partition:D5}/entries</c>), its configuration in the partition's row, its messages through
/// <see cref="IReplicaMessaging"/>; and a <see cref="CommittedEntryApplier"/> that applies committed entries to a
/// materialized <see cref="WriteAheadLog"/> in <c>.../materialized</c>, which serves the partition's reads while this
/// replica leads.
/// </summary>
/// <remarks>
/// <para>The materialized log is rebuilt from the entry log whenever a replica starts (its directory deleted, the entry
/// log's checkpoint restored into it if it has one, every committed entry after it applied again): applied writes and the
/// applied position are not recorded atomically, so applying onto an older copy could apply an entry twice. It is written
/// with <see cref="SyncPolicy.None"/>: durability comes from the entry logs of the in-sync replicas; and committed on the
/// applier's thread (<see cref="WriteAheadLogOptions.CommitOnCallingThread"/>), so it runs no committer thread.</para>
/// <para>A replica whose host failed is stopped as a crash would stop it and started again by a later
/// <see cref="ReconcileAsync"/> after a back-off (<see cref="ReplicaRestart"/>), its entry log cut after the last entry
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
    private readonly SiloLogOptions _log;
    private readonly StreamRetentionRegistry _retention;
    private readonly Lazy<IReplicaMessaging> _messaging;
    private readonly ReplicaOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly PartitionActivations _activations;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<int, HeldReplica> _held = new();
    private readonly ConcurrentDictionary<int, ReplicaRestart> _restarts = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ReplicaRetirement _retirement;
    private readonly SiloEntryJournal _journal;
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
        _log = log.Value;
        _retention = retention;
        _messaging = new Lazy<IReplicaMessaging>(() => (IReplicaMessaging?)services.GetService(typeof(IReplicaMessaging))
            ?? throw new WriteAheadLogReplicationException(
                $"{nameof(WriteAheadLogReplicationOptions)}.{nameof(WriteAheadLogReplicationOptions.ReplicationFactor)} is above 1, but no messaging between the silos' partition replicas is registered (IReplicaMessaging): the replicas could not reach each other."));
        _options = options.Value;
        _loggers = loggers;
        _activations = activations;
        _logger = loggers.CreateLogger<SiloReplicas>();
        _time = time ?? TimeProvider.System;
        Reads = new CoalescedConfigurationReads(replica.Catalog);
        _journal = new SiloEntryJournal(Path.Combine(_log.Directory, ReplicasDirectoryName, JournalDirectoryName), _options, loggers.CreateLogger<SiloEntryJournal>());
        _retirement = new ReplicaRetirement(this, replica, activations, Path.Combine(_log.Directory, ReplicasDirectoryName), loggers.CreateLogger<ReplicaRetirement>());
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

            if (_restarts.TryGetValue(partition, out ReplicaRestart? restart) && _time.GetUtcNow() < restart.RetryAt)
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
                DateTimeOffset now = _time.GetUtcNow();
                ReplicaRestart next = ReplicaRestart.Next(restart, partition, $"starting it failed: {ex.GetType().Name}: {ex.Message}", null, now, now);
                _restarts[partition] = next;
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
        var id = new ReplicaId(_replica.Id);
        _retirement.FinishInterrupted(partition);
        string root = _retirement.DirectoryOf(partition);
        string materializedDirectory = Path.Combine(root, "materialized");
        DeleteDirectory(materializedDirectory);

        // Durably: the first start creates the partition's directory here, and its entry log's files are made durable in it.
        DurableFile.CreateDirectory(PhysicalFileSystem.Instance, materializedDirectory);
        WriteAheadLogOptions materializedOptions = MaterializedOptions(materializedDirectory);
        IEventLog materialized = await WriteAheadLog.OpenAsync(materializedOptions, _loggers, _time, cancellationToken).ConfigureAwait(false);
        IEntryLog entries;
        try
        {
            entries = Journal().OpenLog(partition, Path.Combine(root, "entries"));
            try
            {
                if (_restarts.TryGetValue(partition, out ReplicaRestart? restart) && restart.CutLog(entries))
                {
                    LogCutAtRestart(partition, id.Value, restart.DurableLsn!.Value);
                }
            }
            catch
            {
                entries.Dispose();
                throw;
            }
        }
        catch
        {
            await ((WriteAheadLog)materialized).AbandonAsync().ConfigureAwait(false);
            throw;
        }

        var host = new ReplicaHost(
            id,
            entries,
            new PartitionConfigurationStore(partition, Reads, _replica.Catalog.Partition(partition)),
            _messaging.Value.For(partition),
            _options,
            _time,
            _loggers.CreateLogger<ReplicaHost>());
        var state = new WriteAheadLogDirectoryState(
            materializedDirectory,
            open: async ct => await WriteAheadLog.OpenAsync(materializedOptions, _loggers, _time, ct).ConfigureAwait(false),
            close: log => ((WriteAheadLog)log).AbandonAsync());
        var applier = new CommittedEntryApplier(
            host,
            materialized,
            new MaterializedCheckpointPolicy(state, _options.CheckpointEveryEntries, _options.CheckpointEveryBytes),
            _loggers.CreateLogger<CommittedEntryApplier>())
        {
            FollowerApplyDelay = _options.FollowerApplyDelay,
        };
        _messaging.Value.Register(partition, host.Deliver);
        host.Start();
        applier.Start();
        var held = new HeldReplica(partition, host, applier, new ReplicatedPartitionLog(partition, new ReplicatedEventLog(host, applier), failure => DeactivateAll(partition, failure)), _time.GetUtcNow(), rowVersion);
        _held[partition] = held;

        // Held first, then the flag read (both full fences): a replica started while the silo begins to stop is frozen here
        // or by FreezeForStop.
        if (Interlocked.CompareExchange(ref _frozenForStop, 0, 0) != 0)
        {
            Freeze(host);
        }

        if (_restarts.TryGetValue(partition, out ReplicaRestart? restarted) && restarted.DurableLsn is not null)
        {
            // Cut once: a later restart cuts where that host synced, if it fails.
            _restarts[partition] = restarted with { DurableLsn = null };
        }

        LogStarted(partition, id.Value, entries.StartLsn, entries.EndLsn);
        return held;
    }

    private WriteAheadLogOptions MaterializedOptions(string directory)
    {
        var options = new WriteAheadLogOptions
        {
            SegmentSizeBytes = _log.SegmentSizeBytes,
            MaxRecordSizeBytes = _log.MaxRecordSizeBytes,
            Encryption = _log.Encryption,
        };
        _log.ConfigureEngine?.Invoke(options);
        options.Directory = directory;

        // Never synced (durability is the entry logs'), so preallocation buys nothing; unpreallocated segments keep each
        // checkpoint's copy to what was written.
        options.SyncPolicy = SyncPolicy.None;
        options.PreallocateSegments = false;
        options.RetainCheckpointedEvents = true;
        options.StreamRetention = _retention.Resolve;

        // Written by one applier per replica (48 logs in three silos at 16 partitions): each applied write is committed
        // on the applier's own thread, rather than by a committer thread per log, woken per burst, and a hop back.
        options.CommitOnCallingThread = true;
        return options;
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
            _restarts.TryRemove(partition, out _);
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
            DateTimeOffset now = _time.GetUtcNow();
            ReplicaRestart restart = ReplicaRestart.Next(_restarts.GetValueOrDefault(held.Partition), held.Partition, reason, durableLsn, held.StartedAt, now);
            _restarts[held.Partition] = restart;
            LogStoppedForRestart(held.Partition, held.Host.Id.Value, reason, restart.Failures, restart.RetryAt);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Unregisters the replica's messaging, disposes its host (closing its entry log) and applier, and closes (<paramref name="graceful"/>) or abandons its materialized log.</summary>
    internal async Task StopAsync(HeldReplica held, bool graceful)
    {
        _messaging.Value.Unregister(held.Partition);
        await held.Host.DisposeAsync().ConfigureAwait(false);
        await held.Applier.DisposeAsync().ConfigureAwait(false);
        if (graceful)
        {
            await held.Applier.Local.DisposeAsync().ConfigureAwait(false);
        }
        else if (held.Applier.Local is WriteAheadLog local)
        {
            await local.AbandonAsync().ConfigureAwait(false);
        }
    }

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

    private static void DeleteDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Replica {Replica} of partition {Partition} started (entry log from LSN {StartLsn} up to LSN {EndLsn}; its materialized log is rebuilt from them)")]
    private partial void LogStarted(int partition, int replica, long startLsn, long endLsn);

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "Replica {Replica} of partition {Partition} could not be started (failure {Failures} in a row); next attempt at {RetryAt:O}")]
    private partial void LogStartFailed(Exception exception, int partition, int replica, int failures, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Replica {Replica} of partition {Partition} stopped ({Reason}); failure {Failures} in a row, started again at {RetryAt:O} while the partition's row names this silo")]
    private partial void LogStoppedForRestart(int partition, int replica, string reason, int failures, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Replica {Replica} of partition {Partition} restarts with its entry log cut after LSN {DurableLsn}, the last entry its failed host had synced; the leader sends it the rest")]
    private partial void LogCutAtRestart(int partition, int replica, long durableLsn);

    [LoggerMessage(EventId = 37, Level = LogLevel.Information, Message = "A write to partition {Partition} failed ({Failure}): this silo's replica does not lead it any more; {Count} activations deactivated")]
    private partial void LogWriteFailedDeactivated(int partition, string failure, int count);

    [LoggerMessage(EventId = 38, Level = LogLevel.Warning, Message = "Retiring the replicas that their rows no longer name failed; tried again at the next reconcile")]
    private partial void LogRetireFailed(Exception exception);

    [LoggerMessage(EventId = 36, Level = LogLevel.Warning, Message = "Replica of partition {Partition} did not stop cleanly")]
    private partial void LogStopFailed(Exception exception, int partition);
}
