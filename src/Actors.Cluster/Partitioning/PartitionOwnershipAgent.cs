using Actors.Cluster.Membership;
using Actors.Cluster.Reminders;
using Actors.Cluster.Replication;
using Actors.Replication;
using Actors.Cluster.Storage;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Partitioning;

/// <summary>
/// This silo's part in partition ownership: from each table snapshot and the <see cref="PartitionPlanner"/>'s plan it
/// claims unassigned partitions planned for it, re-claims its own after a restart (a new epoch, only when its volume
/// still holds their logs), hands partitions planned elsewhere to their new owner (see <see cref="PartitionHandOff"/>),
/// serves partitions granted to it, and stops serving partitions the table says are someone else's.
/// </summary>
/// <remarks>
/// Every ownership change is a conditional update that also requires this silo's lease to be valid by the store's clock.
/// One reconcile runs at a time (on every table change, every lease-renew period, and on local events); at most one
/// hand-off runs at a time. Thread-safe.
/// </remarks>
internal sealed partial class PartitionOwnershipAgent : IAsyncDisposable
{
    private readonly MembershipAgent _membership;
    private readonly PartitionLogHost _logs;
    private readonly PartitionHandOff _handOff;
    private readonly ReminderPartitionOwnership _reminders;
    private readonly PartitionReplicas _replicas;
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _reconcileGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;
    private readonly object _lock = new();
    private LocalPartition[] _local = [];
    private Task _loop = Task.CompletedTask;
    private Task _move = Task.CompletedTask;

    public PartitionOwnershipAgent(MembershipAgent membership, PartitionLogHost logs, PartitionHandOff handOff, ReminderPartitionOwnership reminders, PartitionReplicas replicas,
        ClusterOptions options, TimeProvider time, ILogger logger)
    {
        _replicas = replicas;
        _membership = membership;
        _logs = logs;
        _handOff = handOff;
        _reminders = reminders;
        _options = options;
        _time = time;
        _logger = logger;
        handOff.Agent = this;
    }

    /// <summary>Pulsed whenever a partition's local state changes.</summary>
    public ClusterViewSignal Changed { get; } = new();

    /// <summary>The partitions served here now.</summary>
    public int ServedCount
    {
        get
        {
            lock (_lock)
            {
                return _local.Count(l => l.State == LocalPartitionState.Serving);
            }
        }
    }

    /// <summary>Sizes the local table for the cluster's partition count and starts the reconcile loop.</summary>
    public void Start(int partitionCount)
    {
        lock (_lock)
        {
            _local = Enumerable.Range(0, partitionCount).Select(_ => new LocalPartition()).ToArray();
        }

        _loop = Task.Run(LoopAsync);
    }

    /// <summary>This silo's local state of a partition.</summary>
    public (LocalPartitionState State, long Epoch) StateOf(int partition)
    {
        lock (_lock)
        {
            LocalPartition local = _local[partition];
            return (local.State, local.Epoch);
        }
    }

    /// <summary>Whether a write to <paramref name="partition"/>'s logs under <paramref name="epoch"/> may go on: the lease is valid and the partition is served here under that epoch.</summary>
    public bool CanWrite(int partition, long epoch)
    {
        if (!_membership.Lease.IsValid)
        {
            return false;
        }

        lock (_lock)
        {
            LocalPartition local = _local[partition];
            return local.Epoch == epoch && local.State is LocalPartitionState.Serving or LocalPartitionState.HandingOff or LocalPartitionState.Opening;
        }
    }

    /// <summary>Where calls for <paramref name="partition"/> go from this silo, given the latest snapshot.</summary>
    public PartitionRoute Route(int partition)
    {
        ClusterSnapshot? snapshot = _membership.Current;
        // A silo that left (its lease is revoked as its host stops, while its gateway still drains) serves nothing itself
        // but forwards with its last view, whose owners it handed its partitions to; waiting would hold those calls until
        // the gateway's drain deadline cut them.
        bool forwardOnly = !_membership.Lease.IsValid;
        bool left = snapshot?.FindSilo(_membership.Name) is { Status: SiloStatus.Left } self && self.Incarnation == _membership.Incarnation;
        if (snapshot is null || (forwardOnly && !left))
        {
            return new PartitionRoute(PartitionRouteKind.Wait, null, 0, "this silo's lease is not valid");
        }

        PartitionRecord row = snapshot.Partitions[partition];
        (LocalPartitionState state, long epoch) = forwardOnly ? (LocalPartitionState.None, 0L) : StateOf(partition);
        switch (state)
        {
            case LocalPartitionState.Serving:
                return new PartitionRoute(PartitionRouteKind.Local, _membership.Name, epoch, null);
            case LocalPartitionState.HandingOff or LocalPartitionState.Opening:
                return new PartitionRoute(PartitionRouteKind.Wait, _membership.Name, epoch, "the partition is changing hands");
            case LocalPartitionState.Lost:
                return new PartitionRoute(PartitionRouteKind.Unavailable, _membership.Name, 0, $"its owner '{_membership.Name}' has lost or cannot read the partition's logs");
        }

        if (row.Owner is null)
        {
            return new PartitionRoute(PartitionRouteKind.Wait, null, 0, "the partition has no owner yet");
        }

        if (string.Equals(row.Owner, _membership.Name, StringComparison.Ordinal))
        {
            // Granted here (or owned by this silo's previous incarnation) and not opened yet: the reconcile opens it.
            return new PartitionRoute(PartitionRouteKind.Wait, row.Owner, 0, "the partition is being opened here");
        }

        SiloRecord? owner = snapshot.FindSilo(row.Owner);
        if ((owner is null || !owner.IsLive) && row.IsReplicated)
        {
            return new PartitionRoute(PartitionRouteKind.Wait, row.Owner, 0, $"its owner '{row.Owner}' is not live; an in-sync replica ({string.Join(", ", row.InSync)}) takes over");
        }

        if (owner is null || !owner.IsLive)
        {
            string status = owner is null ? "unknown" : owner.Status.ToString().ToLowerInvariant();
            return new PartitionRoute(PartitionRouteKind.Unavailable, row.Owner, 0, $"its owner '{row.Owner}' is {status} and no other silo holds its log; it serves again when '{row.Owner}' restarts on its volume");
        }

        if (owner.Incarnation != row.OwnerIncarnation)
        {
            return new PartitionRoute(PartitionRouteKind.Wait, row.Owner, 0, $"'{row.Owner}' restarted and has not re-claimed the partition yet");
        }

        return new PartitionRoute(PartitionRouteKind.Forward, row.Owner, 0, null);
    }

    /// <summary>Asks for a reconcile now (a local event: transfer installed, grant received).</summary>
    public void Nudge() => _membership.Changed.Pulse();

    /// <summary>Marks a partition whose transfer was installed here.</summary>
    public void OnInstalled(int partition)
    {
        SetState(partition, LocalPartitionState.Installed, 0);
        Nudge();
    }

    /// <summary>Whether a transfer of <paramref name="begin"/>'s partition to this silo is what the table expects; null if so, else the reason.</summary>
    public async Task<string?> CheckTransferAsync(TransferBegin begin, CancellationToken cancellationToken)
    {
        ClusterSnapshot snapshot = await _membership.RefreshAsync(cancellationToken);
        if (begin.Partition < 0 || begin.Partition >= snapshot.PartitionCount)
        {
            return $"partition {begin.Partition} does not exist";
        }

        PartitionRecord row = snapshot.Partitions[begin.Partition];
        if (row.State != PartitionState.Moving || !string.Equals(row.Target, _membership.Name, StringComparison.Ordinal) || !string.Equals(row.Owner, begin.Source, StringComparison.Ordinal))
        {
            return $"the table says {row}, not a move from '{begin.Source}' to '{_membership.Name}'";
        }

        (LocalPartitionState state, _) = StateOf(begin.Partition);
        return state is LocalPartitionState.Serving or LocalPartitionState.Opening or LocalPartitionState.HandingOff
            ? $"this silo still serves partition {begin.Partition}"
            : null;
    }

    /// <summary>Completes when this silo owns no partition it could hand to an Active silo (graceful leave), or when <paramref name="cancellationToken"/> fires.</summary>
    public async Task WaitUntilHandedOffAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed = _membership.Changed.Next;
            ClusterSnapshot snapshot = await _membership.RefreshAsync(cancellationToken);
            bool anyTarget = snapshot.Silos.Any(s => s.Status == SiloStatus.Active && !string.Equals(s.Name, _membership.Name, StringComparison.Ordinal));
            // A replicated partition is not handed off: its in-sync followers take it over when this silo has left.
            if (!anyTarget || !snapshot.Partitions.Any(p => !p.IsReplicated && string.Equals(p.Owner, _membership.Name, StringComparison.Ordinal)))
            {
                return;
            }

            await Task.WhenAny(changed, Task.Delay(_options.LeaseRenewPeriod, _time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Stops reconciling (the partitions stay as they are).</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _move.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync();
        _stop.Dispose();
        _reconcileGate.Dispose();
    }

    internal void SetState(int partition, LocalPartitionState state, long epoch)
    {
        lock (_lock)
        {
            _local[partition] = new LocalPartition { State = state, Epoch = epoch };
        }

        Changed.Pulse();
    }

    private async Task LoopAsync()
    {
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            Task changed = _membership.Changed.Next;
            try
            {
                await ReconcileAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogReconcileFailed(_logger, ex);
            }

            try
            {
                await Task.WhenAny(changed, Task.Delay(_options.LeaseRenewPeriod, _time, stop));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over every partition (see the class remarks).</summary>
    internal async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await _reconcileGate.WaitAsync(cancellationToken);
        try
        {
            if (_membership.Current is not { } snapshot || _membership.IsDeclaredDead || !_membership.Lease.IsValid)
            {
                return;
            }

            string me = _membership.Name;
            long incarnation = _membership.Incarnation;
            // Replicated partitions (granted with replicas, whatever this silo's factor) run this silo's replicas.
            await _replicas.ReconcileAsync(snapshot, me, cancellationToken);

            string?[] plan = PartitionPlanner.Plan(snapshot);
            for (int p = 0; p < snapshot.PartitionCount; p++)
            {
                PartitionRecord row = snapshot.Partitions[p];
                (LocalPartitionState state, long epoch) = StateOf(p);
                bool mine = string.Equals(row.Owner, me, StringComparison.Ordinal);
                if (mine && row.OwnerIncarnation == incarnation)
                {
                    await ReconcileOwnedAsync(snapshot, row, state, epoch, plan[p], cancellationToken);
                }
                else if (mine && state == LocalPartitionState.None && !row.IsReplicated)
                {
                    // A replicated partition's restarted leader is granted a new epoch by its replica (the protocol never
                    // resumes an epoch it entered), and only while it is in sync.
                    await ReclaimAsync(row, incarnation, cancellationToken);
                }
                else if (row.Owner is null && string.Equals(plan[p], me, StringComparison.Ordinal) && state == LocalPartitionState.None)
                {
                    await (_options.ReplicationFactor > 1 ? ClaimReplicatedAsync(snapshot, row, incarnation, cancellationToken) : ClaimAsync(row, incarnation, cancellationToken));
                }
                else if (!mine && state == LocalPartitionState.Serving)
                {
                    LogLostOwnership(_logger, p, row.ToString());
                    await _handOff.StopServingAsync(p, cancellationToken);
                }
                else if (!mine && state == LocalPartitionState.Installed && !(row.State == PartitionState.Moving && string.Equals(row.Target, me, StringComparison.Ordinal)))
                {
                    _logs.Delete(p);
                    SetState(p, LocalPartitionState.None, 0);
                }
            }

            await _reminders.EnsureAcquiredAsync(
                Enumerable.Range(0, snapshot.PartitionCount).Where(p => StateOf(p).State == LocalPartitionState.Serving), cancellationToken);
        }
        finally
        {
            _reconcileGate.Release();
        }
    }

    private async Task ReconcileOwnedAsync(ClusterSnapshot snapshot, PartitionRecord row, LocalPartitionState state, long epoch, string? planned, CancellationToken cancellationToken)
    {
        int p = row.Partition;
        switch (state)
        {
            case LocalPartitionState.None or LocalPartitionState.Installed:
                if (row.State == PartitionState.Moving)
                {
                    // A hand-off of this incarnation ended without its grant or its abort: undo the move first.
                    await _handOff.AbortMoveAsync(p, cancellationToken);
                    return;
                }

                await OpenAsync(row, cancellationToken);
                break;
            case LocalPartitionState.Serving when epoch != row.Epoch:
                await _handOff.StopServingAsync(p, cancellationToken);
                await OpenAsync(row, cancellationToken);
                break;
            case LocalPartitionState.Serving when planned is not null && !row.IsReplicated && !string.Equals(planned, _membership.Name, StringComparison.Ordinal):
                SiloRecord? target = snapshot.FindSilo(planned);
                if (target is { Status: SiloStatus.Active } && _move.IsCompleted)
                {
                    _move = Task.Run(() => _handOff.HandOffAsync(p, target.Name, _stop.Token));
                }

                break;
        }
    }

    private async Task OpenAsync(PartitionRecord row, CancellationToken cancellationToken)
    {
        SetState(row.Partition, LocalPartitionState.Opening, row.Epoch);
        if (row.IsReplicated && !await _replicas.WaitLeadingAsync(row, LeadWait, cancellationToken))
        {
            // Not leading the row's epoch yet (its replica has not read the grant) or lost it again: the next reconcile retries.
            SetState(row.Partition, LocalPartitionState.None, 0);
            LogNotLeadingYet(_logger, row.Partition, row.Epoch);
            return;
        }

        try
        {
            await _logs.OpenAsync(row.Partition, row.Epoch, _membership.Name, _membership.Incarnation, cancellationToken);
            SetState(row.Partition, LocalPartitionState.Serving, row.Epoch);
            LogServing(_logger, row.Partition, row.Epoch);
            await _reminders.ServingAsync(row.Partition, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SetState(row.Partition, LocalPartitionState.Lost, 0);
            LogOpenFailed(_logger, ex, row.Partition);
        }
    }

    private async Task ReclaimAsync(PartitionRecord row, long incarnation, CancellationToken cancellationToken)
    {
        if (!_logs.HasData(row.Partition))
        {
            SetState(row.Partition, LocalPartitionState.Lost, 0);
            LogDataMissing(_logger, row.Partition, row.Epoch);
            return;
        }

        PartitionRecord claimed = row with { OwnerIncarnation = incarnation, Epoch = row.Epoch + 1, State = PartitionState.Owned, Target = null };
        if (await _membership.TryApplyAsync(new ClusterUpdate().Write(claimed, row.Version).RequireLease(_membership.Name, incarnation), cancellationToken))
        {
            LogReclaimed(_logger, row.Partition, claimed.Epoch);
            await OpenAsync(claimed, cancellationToken);
        }
    }

    /// <summary>
    /// Claims an unassigned partition with its replicas chosen (<see cref="ReplicaPlacement"/>): owner, epoch, replicas and
    /// in-sync set in one conditional write; this silo's replica then leads the new epoch. Waits while fewer Active silos
    /// than the replication factor exist.
    /// </summary>
    private async Task ClaimReplicatedAsync(ClusterSnapshot snapshot, PartitionRecord row, long incarnation, CancellationToken cancellationToken)
    {
        if (ReplicaPlacement.Choose(snapshot, row.Partition, _membership.Name, _options.ReplicationFactor) is not { } replicas)
        {
            LogTooFewSilos(_logger, row.Partition, _options.ReplicationFactor);
            return;
        }

        PartitionRecord claimed = row with
        {
            Owner = _membership.Name, OwnerIncarnation = incarnation, Epoch = row.Epoch + 1, State = PartitionState.Owned, Target = null, Replicas = replicas, InSync = replicas,
        };
        if (await _membership.TryApplyAsync(new ClusterUpdate().Write(claimed, row.Version).RequireLease(_membership.Name, incarnation), cancellationToken))
        {
            LogClaimed(_logger, row.Partition, claimed.Epoch);
            await _replicas.EnsureAsync(row.Partition, new ReplicaId(1), snapshot.ClusterId, cancellationToken);
            await OpenAsync(claimed with { Version = row.Version + 1 }, cancellationToken);
        }
    }

    private async Task ClaimAsync(PartitionRecord row, long incarnation, CancellationToken cancellationToken)
    {
        // The log directories exist before the claim is stored, so an owner that crashes right after the claim still
        // finds (empty) logs and never mistakes the partition for lost data.
        _logs.CreateDirectories(row.Partition);
        PartitionRecord claimed = row with { Owner = _membership.Name, OwnerIncarnation = incarnation, Epoch = row.Epoch + 1, State = PartitionState.Owned, Target = null };
        if (await _membership.TryApplyAsync(new ClusterUpdate().Write(claimed, row.Version).RequireLease(_membership.Name, incarnation), cancellationToken))
        {
            LogClaimed(_logger, row.Partition, claimed.Epoch);
            await OpenAsync(claimed, cancellationToken);
        }
    }

    /// <summary>How long opening a replicated partition waits for this silo's replica to lead the granted epoch before a later reconcile retries.</summary>
    private TimeSpan LeadWait => _replicas.ReplicaOptions.LeaderTimeout * 4;

    private sealed class LocalPartition
    {
        public LocalPartitionState State { get; init; }

        public long Epoch { get; init; }
    }

    [LoggerMessage(EventId = 4400, Level = LogLevel.Information, Message = "Claimed partition {Partition} (epoch {Epoch})")]
    private static partial void LogClaimed(ILogger logger, int partition, long epoch);

    [LoggerMessage(EventId = 4401, Level = LogLevel.Information, Message = "Re-claimed partition {Partition} after a restart (epoch {Epoch})")]
    private static partial void LogReclaimed(ILogger logger, int partition, long epoch);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Information, Message = "Serving partition {Partition} (epoch {Epoch})")]
    private static partial void LogServing(ILogger logger, int partition, long epoch);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Critical, Message = "Partition {Partition} (epoch {Epoch}) is owned by this silo but its logs are missing from this volume: it will not be served empty; restore the volume")]
    private static partial void LogDataMissing(ILogger logger, int partition, long epoch);

    [LoggerMessage(EventId = 4404, Level = LogLevel.Critical, Message = "Partition {Partition}: its logs cannot be opened; it is unavailable")]
    private static partial void LogOpenFailed(ILogger logger, Exception exception, int partition);

    [LoggerMessage(EventId = 4405, Level = LogLevel.Warning, Message = "Partition {Partition} is no longer this silo's ({Row}): stops serving it")]
    private static partial void LogLostOwnership(ILogger logger, int partition, string row);

    [LoggerMessage(EventId = 4406, Level = LogLevel.Error, Message = "Partition reconcile failed; it runs again at the next change")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4407, Level = LogLevel.Warning, Message = "Partition {Partition} is not claimed yet: replication factor {ReplicationFactor} needs that many Active silos")]
    private static partial void LogTooFewSilos(ILogger logger, int partition, int replicationFactor);

    [LoggerMessage(EventId = 4408, Level = LogLevel.Information, Message = "Partition {Partition} (epoch {Epoch}) is granted here but this silo's replica does not lead that epoch yet; retrying at the next reconcile")]
    private static partial void LogNotLeadingYet(ILogger logger, int partition, long epoch);
}
