using Actors.Cluster.Membership;
using Actors.Cluster.Reminders;
using Actors.Cluster.Replication;
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
/// One reconcile runs at a time (on every table change, every lease-renew period, when a failed open's back-off ends, and
/// on local events); at most one hand-off runs at a time. A failed open is retried or reported as
/// <see cref="PartitionOpenFailure"/> says. Thread-safe.
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

    /// <summary>
    /// Whether a write to <paramref name="partition"/>'s logs under <paramref name="epoch"/> may go on: the lease is valid,
    /// the partition is served here under that epoch, and the latest table read grants no newer epoch of it.
    /// </summary>
    /// <remarks>
    /// The last condition fences a superseded epoch from the moment this silo has read the newer grant (a row changed under
    /// its feet, a second claimant), not only once its reconcile has stopped serving the partition. Unreplicated partitions
    /// only: a replicated partition's epochs are its replicas' (the replication protocol fences a stale leader).
    /// </remarks>
    public bool CanWrite(int partition, long epoch)
    {
        if (!_membership.Lease.IsValid)
        {
            return false;
        }

        if (_membership.Current is { } latest && partition < latest.Partitions.Count
            && latest.Partitions[partition] is { IsReplicated: false } row && row.Epoch > epoch)
        {
            return false;
        }

        lock (_lock)
        {
            LocalPartition local = _local[partition];
            return local.Epoch == epoch && local.State is LocalPartitionState.Serving or LocalPartitionState.HandingOff or LocalPartitionState.Opening;
        }
    }

    /// <summary>Asks for a reconcile now (a local event: transfer installed, grant received).</summary>
    public void Nudge() => _membership.Changed.Pulse();

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
                await Task.WhenAny(changed, Task.Delay(UntilNextReconcile(), _time, stop));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private sealed class LocalPartition
    {
        public LocalPartitionState State { get; init; }

        public long Epoch { get; init; }
    }

    [LoggerMessage(EventId = 4406, Level = LogLevel.Error, Message = "Partition reconcile failed; it runs again at the next change")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception);
}
