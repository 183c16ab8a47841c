using System.Collections.Concurrent;
using Actors.Cluster.Diagnostics;
using Actors.Cluster.Membership;
using Actors.Cluster.Messaging;
using Actors.Cluster.Storage;
using Actors.Persistence.Wal;
using Actors.Replication;
using Actors.Replication.Options;
using Actors.Replication.Wal;
using Actors.Replication.Wal.EventLog;
using Actors.Replication.Wal.Materialized;
using Actors.Wal;
using Actors.Wal.Entries;
using Actors.Wal.Entries.Journal;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Replication;

/// <summary>
/// The partition replicas this silo holds (<see cref="ClusterOptions.ReplicationFactor"/> above 1): for every partition
/// whose row names this silo among its replicas, a <see cref="ReplicaHost"/> over its entry log (by default a log of the
/// silo's one <see cref="EntryJournal"/> in <c>{store directory}/replicas/journal</c>, with the replica's epoch and
/// checkpoint files in <c>{store directory}/replicas/{partition:D5}/entries</c>; with
/// <see cref="EntryLogLayout.PerReplicaFiles"/> an <see cref="EntryLog"/> of its own in that directory), registered in the silo's <see cref="ReplicationInbox"/>, its
/// configuration in the partition row (<see cref="PartitionReplicaConfigurationStore"/>), its messages over the silo
/// transport to the silos the row names; and a <see cref="CommittedEntryApplier"/> that applies committed entries to a
/// materialized log in <c>.../materialized</c>, which serves the partition's reads once this silo leads it.
/// </summary>
/// <remarks>
/// <para>The materialized log is rebuilt from the entry log whenever a replica starts (its directory is deleted, the entry
/// log's checkpoint restored into it, if it has one, and every committed entry after it applied again): applied writes and
/// the applied position are not recorded atomically, so applying onto an older copy could apply an entry twice. It is
/// written with <see cref="SyncPolicy.None"/>: durability comes from the entry logs of the in-sync replicas.</para>
/// <para>Checkpoints: every replica (leader and followers alike, each of its own log) checkpoints its materialized log
/// (<see cref="WriteAheadLogDirectoryState"/>: its files as a backup copies them) every
/// <see cref="ReplicaOptions.CheckpointEveryEntries"/> entries or <see cref="ReplicaOptions.CheckpointEveryBytes"/> bytes
/// applied, through <see cref="ReplicaHost.CompactAsync"/>, which deletes the entry-log segments below it; a follower too
/// far behind takes its leader's checkpoint, and its applier rebuilds the materialized log from it
/// (<see cref="CommittedEntryApplier"/>).</para>
/// <para>One write-ahead-log store per silo is replicated (every grain write of a partition becomes one entry of that
/// partition's entry log); a silo with several stores and a replication factor above 1 refuses to start.</para>
/// <para>Restarts: a replica whose host failed (a failed write or fsync, a full disk, a broken protocol invariant), or
/// that <see cref="DropAsync"/> stopped because its partition cannot be opened here, is stopped as a crash would stop it
/// and started again by a later <see cref="ReconcileAsync"/> while the row still names this silo among the replicas, after
/// a back-off (<see cref="ReplicaRestart"/>: <see cref="ClusterOptions.PartitionOpenRetryDelay"/> doubled per consecutive
/// failure up to <see cref="ClusterOptions.PartitionOpenRetryMaxDelay"/>). A failed host's log restarts cut after the last
/// entry it had synced. Until then the other replicas carry the partition: the followers elect a new leader from the
/// in-sync set when the stopped replica led it, or the leader drops the stopped one from the in-sync set.</para>
/// <para>Thread-safe.</para>
/// </remarks>
internal sealed partial class PartitionReplicas : IAsyncDisposable
{
    /// <summary>The subdirectory of the store's directory holding the replicas.</summary>
    public const string ReplicasDirectoryName = "replicas";

    /// <summary>The subdirectory of <see cref="ReplicasDirectoryName"/> holding the silo's entry journal (<see cref="EntryLogLayout.SharedJournal"/>).</summary>
    public const string JournalDirectoryName = "journal";

    private readonly IClusterStore _store;
    private readonly ClusterOptions _options;
    private readonly ISiloTransport _transport;
    private readonly ReplicationInbox _inbox;
    private readonly IEventLogFactory _inner;
    private readonly Func<ClusterSnapshot?> _snapshot;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<int, HeldReplica> _held = new();
    private readonly ConcurrentDictionary<int, ReplicaRestart> _restarts = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile EntryJournal? _journal;
    private volatile bool _stopped;

    public PartitionReplicas(IClusterStore store, ClusterOptions options, ISiloTransport transport, ReplicationInbox inbox, IEventLogFactory inner,
        Func<ClusterSnapshot?> snapshot, ILoggerFactory loggers, TimeProvider time)
    {
        // The replicas' configuration polls (one whole-table read each, every ConfigurationPollInterval) share one read
        // at a time: one connection per silo however many replicas it hosts (ReadCoalescingClusterStore).
        _store = new ReadCoalescingClusterStore(store);
        _options = options;
        _transport = transport;
        _inbox = inbox;
        _inner = inner;
        _snapshot = snapshot;
        _loggers = loggers;
        _logger = loggers.CreateLogger("Actors.Cluster.Replication");
        _time = time;
    }

    /// <summary>The store whose partition logs are replicated (set when the silo starts).</summary>
    public PartitionedEventLog? ReplicatedStore { get; set; }

    /// <summary>Protocol timing of the replicas this silo hosts (<see cref="ClusterOptions.Replication"/>).</summary>
    public ReplicaOptions ReplicaOptions => _options.Replication;

    /// <summary>The replicated log of <paramref name="partition"/> when this silo holds one of its replicas, else null.</summary>
    public ReplicatedEventLog? LogOf(int partition) => _held.TryGetValue(partition, out HeldReplica? held) ? held.Log : null;

    /// <summary>The status of this silo's replica of <paramref name="partition"/>, or null when it holds none.</summary>
    public ReplicaStatus? StatusOf(int partition) => _held.TryGetValue(partition, out HeldReplica? held) ? held.Host.Status : null;

    /// <summary>The host and applier of this silo's replica of <paramref name="partition"/> (for tests and diagnostics), or null when it holds none.</summary>
    internal (ReplicaHost Host, CommittedEntryApplier Applier)? ReplicaOf(int partition)
        => _held.TryGetValue(partition, out HeldReplica? held) ? (held.Host, held.Applier) : null;

    /// <summary>Every replica this silo holds now, with its status and counters (the silo's replication instruments), by partition.</summary>
    internal IReadOnlyList<ReplicaObservation> Observe()
        => [.. _held.OrderBy(h => h.Key).Select(h => new ReplicaObservation(h.Key, h.Value.Host.Status, h.Value.Host.Counters, h.Value.Applier.RestoreFailures, h.Value.Applier.CaptureFailures))];

    /// <summary>The silo's entry journal's counters now, or null when none is open (<see cref="EntryLogLayout.PerReplicaFiles"/>, or no replica started yet).</summary>
    internal JournalObservation? ObserveJournal()
        => _journal is { } journal ? new JournalObservation(journal.Syncs, journal.RecordsAppended, journal.SegmentCount) : null;

    /// <summary>
    /// Whether this silo's replica of <paramref name="partition"/> leads and holds its read lease now
    /// (<see cref="ReplicaHost.HoldsReadLease"/>): only then may the silo serve the partition's calls from its state.
    /// False when it holds no replica of the partition.
    /// </summary>
    public bool HoldsReadLease(int partition) => _held.TryGetValue(partition, out HeldReplica? held) && held.Host.HoldsReadLease();

    /// <summary>
    /// Completes once this silo's replica of <paramref name="partition"/> holds its read lease or stops
    /// (<see cref="ReplicaHost.WaitForReadLeaseAsync"/>); null when the silo holds no replica of it.
    /// </summary>
    public Task? WaitForReadLeaseAsync(int partition) => _held.TryGetValue(partition, out HeldReplica? held) ? held.Host.WaitForReadLeaseAsync() : null;

    /// <summary>
    /// Waits until this silo's replica of <paramref name="row"/>'s partition leads the row's epoch and its materialized log
    /// holds every entry it held when it took over; false when <paramref name="timeout"/> passes first, or at once when the
    /// replica has entered a later epoch (it never leads an epoch it has passed).
    /// </summary>
    public async Task<bool> WaitLeadingAsync(PartitionRecord row, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTimeOffset deadline = _time.GetUtcNow() + timeout;
        while (_time.GetUtcNow() < deadline)
        {
            if (_held.TryGetValue(row.Partition, out HeldReplica? ahead) && ahead.Host.Status.Epoch > row.Epoch)
            {
                return false;
            }

            if (_held.TryGetValue(row.Partition, out HeldReplica? held) && held.Host.Status is { IsLeader: true } status && status.Epoch == row.Epoch)
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                limit.CancelAfter(deadline - _time.GetUtcNow() is { } left && left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
                try
                {
                    await held.Log.CatchUpAsync(limit.Token);
                    return true;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return false;
                }
                catch (NotLeaderException)
                {
                    // Lost the lead meanwhile: keep waiting for the row's epoch (or the deadline).
                }
            }

            await Task.Delay(ReplicaOptions.HeartbeatInterval, _time, cancellationToken);
        }

        return false;
    }

    /// <summary>The pending or last restart of this silo's replica of <paramref name="partition"/> (see the class remarks), or null.</summary>
    internal ReplicaRestart? RestartOf(int partition) => _restarts.TryGetValue(partition, out ReplicaRestart? restart) ? restart : null;

    /// <summary>
    /// Stops every held replica whose host failed, then starts a replica for every replicated row of
    /// <paramref name="snapshot"/> naming this silo that it does not hold, unless a restart's back-off still runs. A replica
    /// that cannot be started (its entry log unreadable, a disk error) is logged and retried after a back-off; it does
    /// not keep the other partitions' replicas from starting.
    /// </summary>
    public async Task ReconcileAsync(ClusterSnapshot snapshot, string siloName, CancellationToken cancellationToken)
    {
        foreach ((int partition, HeldReplica held) in _held.ToArray())
        {
            if (held.Host.Failure is { } failure)
            {
                await StopForRestartAsync(partition, held, $"its host failed: {failure.InnerException?.GetType().Name ?? failure.GetType().Name}: {failure.InnerException?.Message ?? failure.Message}", held.Host.Status.DurableLsn);
            }
        }

        foreach (PartitionRecord row in snapshot.Partitions)
        {
            if (!row.IsReplicated || PartitionReplicaConfigurationStore.ReplicaOf(row, siloName) is not { } id || _held.ContainsKey(row.Partition))
            {
                continue;
            }

            ReplicaRestart? restart = RestartOf(row.Partition);
            if (restart is not null && _time.GetUtcNow() < restart.RetryAt)
            {
                continue;
            }

            try
            {
                await EnsureAsync(row.Partition, id, snapshot.ClusterId, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                // The next attempt after a (longer) back-off, still cutting where a failed host had synced.
                DateTimeOffset now = _time.GetUtcNow();
                ReplicaRestart next = ReplicaRestart.Next(
                    restart, row.Partition, $"starting it failed: {ex.GetType().Name}: {ex.Message}", restart?.DurableLsn, now, now,
                    _options.PartitionOpenRetryDelay, _options.PartitionOpenRetryMaxDelay);
                _restarts[row.Partition] = next;
                LogRestartFailed(_logger, ex, row.Partition, id, next.Failures, next.RetryAt);
            }
        }
    }

    /// <summary>
    /// Stops this silo's replica of <paramref name="partition"/> as a crash would (nothing more written or synced) and
    /// schedules its restart (see the class remarks): for a partition this silo cannot open, so that another in-sync replica
    /// leads it meanwhile. Does nothing when this silo holds no replica of it.
    /// </summary>
    public async Task DropAsync(int partition, string reason)
    {
        if (_held.TryGetValue(partition, out HeldReplica? held))
        {
            await StopForRestartAsync(partition, held, reason, held.Host.Failure is null ? null : held.Host.Status.DurableLsn);
        }
    }

    private async Task StopForRestartAsync(int partition, HeldReplica held, string reason, long? durableLsn)
    {
        await _gate.WaitAsync();
        try
        {
            if (_stopped || !_held.TryGetValue(partition, out HeldReplica? current) || !ReferenceEquals(current, held))
            {
                return;
            }

            _held.TryRemove(partition, out _);
            _inbox.Unregister(partition, held.Host);
            await held.Host.DisposeAsync();
            await held.Applier.DisposeAsync();
            await _inner.AbandonAsync(held.Applier.Local);
            DateTimeOffset now = _time.GetUtcNow();
            ReplicaRestart restart = ReplicaRestart.Next(
                RestartOf(partition), partition, reason, durableLsn, held.StartedAt, now, _options.PartitionOpenRetryDelay, _options.PartitionOpenRetryMaxDelay);
            _restarts[partition] = restart;
            ClusterInstruments.ReplicaStopped(held.Host.Failure is null ? "dropped" : "failed");
            LogStoppedForRestart(_logger, partition, held.Host.Id, reason, restart.Failures, restart.RetryAt, durableLsn);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts this silo's replica <paramref name="id"/> of <paramref name="partition"/> unless it runs already.</summary>
    public async Task EnsureAsync(int partition, ReplicaId id, string clusterId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_stopped || _held.ContainsKey(partition))
            {
                return;
            }

            PartitionedEventLog store = ReplicatedStore ?? throw new InvalidOperationException(
                $"Partition {partition} is replicated and names this silo as replica {id}, but this silo has no single write-ahead-log store to replicate (it needs exactly one).");
            string root = Path.Combine(store.BaseOptions.Directory, ReplicasDirectoryName, partition.ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
            string materializedDirectory = Path.Combine(root, "materialized");
            PartitionLogHost.DeleteDirectory(materializedDirectory);
            Directory.CreateDirectory(materializedDirectory);
            WriteAheadLogOptions materializedOptions = PartitionLogHost.CopyWithDirectory(store.BaseOptions, materializedDirectory);
            materializedOptions.SyncPolicy = SyncPolicy.None;
            // Never synced, so preallocation buys nothing; unpreallocated segments keep each checkpoint's copy to what was written.
            materializedOptions.PreallocateSegments = false;
            IEventLog materialized = await _inner.OpenAsync(store.StoreName, materializedOptions, _loggers, cancellationToken);
            IEntryLog entries;
            try
            {
                entries = OpenEntryLog(partition, Path.Combine(store.BaseOptions.Directory, ReplicasDirectoryName), Path.Combine(root, "entries"));
                try
                {
                    CutAfterTheFailedHostsSync(partition, id, entries);
                }
                catch
                {
                    entries.Dispose();
                    throw;
                }
            }
            catch
            {
                await _inner.AbandonAsync(materialized);
                throw;
            }

            var host = new ReplicaHost(
                id,
                entries,
                new PartitionReplicaConfigurationStore(_store, clusterId, partition),
                new SiloReplicationTransport(_transport, partition, replica => Resolve(partition, replica), _logger),
                ReplicaOptions,
                _time,
                _loggers.CreateLogger<ReplicaHost>());
            var state = new WriteAheadLogDirectoryState(
                materializedDirectory,
                open: ct => _inner.OpenAsync(store.StoreName, materializedOptions, _loggers, ct),
                close: log => _inner.AbandonAsync(log));
            var applier = new CommittedEntryApplier(
                host, materialized, new MaterializedCheckpointPolicy(state, ReplicaOptions.CheckpointEveryEntries, ReplicaOptions.CheckpointEveryBytes),
                _loggers.CreateLogger<CommittedEntryApplier>());
            _inbox.Register(partition, host);
            host.Start();
            applier.Start();
            _held[partition] = new HeldReplica(host, applier, new ReplicatedEventLog(host, applier), _time.GetUtcNow());
            if (RestartOf(partition) is { DurableLsn: not null } restarted)
            {
                // Cut once: a later restart cuts where that host synced, if it fails.
                _restarts[partition] = restarted with { DurableLsn = null };
            }

            LogStarted(_logger, partition, id, entries.StartLsn, entries.EndLsn);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The silo is killed: every replica stops as a crash would (nothing more written or synced).</summary>
    public async Task AbandonAllAsync()
    {
        _stopped = true;
        foreach ((int partition, HeldReplica held) in _held.ToArray())
        {
            _inbox.Unregister(partition, held.Host);
            await held.Host.DisposeAsync();
            await held.Applier.DisposeAsync();
            await _inner.AbandonAsync(held.Applier.Local);
        }

        _held.Clear();
        await CloseJournalAsync();
    }

    /// <summary>Stops every replica (graceful: the materialized logs are closed, the entry logs hold every synced entry).</summary>
    public async ValueTask DisposeAsync()
    {
        _stopped = true;
        foreach ((int partition, HeldReplica held) in _held.ToArray())
        {
            _inbox.Unregister(partition, held.Host);
            ReplicaHostCounters counts = held.Host.Counters;
            LogStopped(_logger, partition, held.Host.Id, held.Log.WritesProposed, held.Log.EntriesProposed, counts.EntriesWritten, counts.EntriesWrittenAsLeader, counts.Syncs, counts.SyncsAsLeader, counts.MessagesSent, counts.MessagesReceived,
                counts.CheckpointsWritten, counts.CheckpointsInstalled);
            await held.Host.DisposeAsync();
            await held.Applier.DisposeAsync();
            await held.Applier.Local.DisposeAsync();
        }

        _held.Clear();
        await CloseJournalAsync();
    }

    /// <summary>
    /// Opens <paramref name="partition"/>'s entry log in <paramref name="directory"/>: a log of the silo's journal (opened
    /// on first use in <paramref name="replicasRoot"/>, and opened again once a failed one has no log left on it), or with
    /// <see cref="EntryLogLayout.PerReplicaFiles"/> an <see cref="EntryLog"/> of its own. Under the gate.
    /// </summary>
    private IEntryLog OpenEntryLog(int partition, string replicasRoot, string directory)
    {
        if (ReplicaOptions.EntryLogLayout == EntryLogLayout.PerReplicaFiles)
        {
            return EntryLog.Open(new EntryLogOptions { Directory = directory, SegmentSizeBytes = ReplicaOptions.EntryLogSegmentBytes });
        }

        if (_journal is { Failure: not null, OpenLogCount: 0 } failed)
        {
            // Every replica on the failed journal has stopped: reopen it from what is on disk (their restarts cut after
            // what each had synced).
            LogJournalReopened(_logger, failed.Directory, failed.Failure);
            failed.Dispose();
            _journal = null;
        }

        if (_journal is null)
        {
            _journal = EntryJournal.Open(new EntryJournalOptions
            {
                Directory = Path.Combine(replicasRoot, JournalDirectoryName),
                SegmentSizeBytes = ReplicaOptions.EntryLogSegmentBytes,
            });
            if (_journal.TornBytesCutAtOpen > 0)
            {
                LogJournalTornTail(_logger, _journal.Directory, _journal.TornBytesCutAtOpen);
            }
        }

        return _journal.OpenLog(partition, directory);
    }

    /// <summary>Closes the journal once every replica on it has stopped (buffered records are written, not synced, as a crash that kept them).</summary>
    private async Task CloseJournalAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _journal?.Dispose();
            _journal = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// When the replica restarts after its host failed: removes every entry after the last one the failed host had synced
    /// (a crash could have lost them, and after a failed fsync the page cache may hold entries the disk never took).
    /// </summary>
    private void CutAfterTheFailedHostsSync(int partition, ReplicaId id, IEntryLog entries)
    {
        if (RestartOf(partition) is not { DurableLsn: { } durable } restart)
        {
            return;
        }

        long end = entries.EndLsn;
        switch (restart.CutLog(entries))
        {
            case RestartCut.Cut:
                LogCutAtRestart(_logger, partition, id, durable, end);
                break;
            case RestartCut.BelowCheckpoint:
                LogCutSkipped(_logger, partition, id, durable, entries.StartLsn);
                break;
        }
    }

    private SiloAddress? Resolve(int partition, ReplicaId replica)
    {
        if (_snapshot() is not { } snapshot
            || PartitionReplicaConfigurationStore.SiloOf(snapshot.Partitions[partition], replica) is not { } name
            || snapshot.FindSilo(name) is not { IsLive: true } silo)
        {
            return null;
        }

        return new SiloAddress(silo.Name, silo.Incarnation, silo.SiloEndpoint);
    }

    /// <summary>A replica held; its materialized log is <c>Applier.Local</c> (replaced when the applier rebuilds it from a checkpoint).</summary>
    private sealed record HeldReplica(ReplicaHost Host, CommittedEntryApplier Applier, ReplicatedEventLog Log, DateTimeOffset StartedAt);

    [LoggerMessage(EventId = 4920, Level = LogLevel.Warning, Message = "The replicas' entry journal in {Directory}: opening it cut {Bytes} bytes of torn tail (the unsynced records of a crash; each replica's leader resends what it lacks)")]
    private static partial void LogJournalTornTail(ILogger logger, string directory, long bytes);

    [LoggerMessage(EventId = 4921, Level = LogLevel.Warning, Message = "The replicas' entry journal in {Directory} failed and every replica on it stopped: opening it again from what is on disk")]
    private static partial void LogJournalReopened(ILogger logger, string directory, Exception? failure);

    [LoggerMessage(EventId = 4900, Level = LogLevel.Information, Message = "Replica {Replica} of partition {Partition} started (entry log from its checkpoint at LSN {StartLsn} up to LSN {EndLsn}; its materialized log is rebuilt from them)")]
    private static partial void LogStarted(ILogger logger, int partition, ReplicaId replica, long startLsn, long endLsn);

    [LoggerMessage(EventId = 4905, Level = LogLevel.Warning, Message = "Replica {Replica} of partition {Partition} stopped ({Reason}); failure {Failures} in a row, started again at {RetryAt:O} while the partition's row names this silo (its log kept up to LSN {DurableLsn}, empty: all of it)")]
    private static partial void LogStoppedForRestart(ILogger logger, int partition, ReplicaId replica, string reason, int failures, DateTimeOffset retryAt, long? durableLsn);

    [LoggerMessage(EventId = 4906, Level = LogLevel.Error, Message = "Replica {Replica} of partition {Partition} could not be started again (failure {Failures} in a row); next attempt at {RetryAt:O}")]
    private static partial void LogRestartFailed(ILogger logger, Exception exception, int partition, ReplicaId replica, int failures, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 4907, Level = LogLevel.Warning, Message = "Replica {Replica} of partition {Partition} restarts with its entry log cut after LSN {DurableLsn}, the last entry its failed host had synced (the log read up to LSN {EndLsn}); the leader sends it the rest")]
    private static partial void LogCutAtRestart(ILogger logger, int partition, ReplicaId replica, long durableLsn, long endLsn);

    [LoggerMessage(EventId = 4908, Level = LogLevel.Warning, Message = "Replica {Replica} of partition {Partition} restarts without a cut: its failed host had synced up to LSN {DurableLsn}, below its durable checkpoint at LSN {StartLsn}")]
    private static partial void LogCutSkipped(ILogger logger, int partition, ReplicaId replica, long durableLsn, long startLsn);

    [LoggerMessage(EventId = 4901, Level = LogLevel.Information, Message = "Replica {Replica} of partition {Partition} stopped: as leader {Writes} grain writes proposed in {Entries} entries; its log {EntriesWritten} entries written ({EntriesWrittenAsLeader} as leader), {Syncs} fsyncs ({SyncsAsLeader} as leader), {MessagesSent} messages sent, {MessagesReceived} received, {CheckpointsWritten} checkpoints written, {CheckpointsInstalled} taken from a leader")]
    private static partial void LogStopped(ILogger logger, int partition, ReplicaId replica, long writes, long entries, long entriesWritten, long entriesWrittenAsLeader, long syncs, long syncsAsLeader, long messagesSent, long messagesReceived,
        long checkpointsWritten, long checkpointsInstalled);
}
