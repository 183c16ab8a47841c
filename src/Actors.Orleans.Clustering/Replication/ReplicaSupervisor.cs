using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// Keeps this silo's partition replicas in step with the partition rows (replication factor above 1): at start (after
/// <see cref="ClusterReplica"/>, before any grain activates) and every <see cref="ReconcileInterval"/> it reads the rows,
/// refreshes the placement's <see cref="PartitionView"/>, starts a replica for every row naming this silo's replica
/// (followers must run for a leader's appends to be acknowledged) and retires those the rows no longer name
/// (<see cref="ReplicaRetirement"/>); every <see cref="LeadershipCheckInterval"/> it
/// deactivates the activations of every partition this silo served and no longer leads (a new epoch elsewhere, or its
/// host failed). A graceful stop first hands every leadership here to an in-sync follower (<see cref="LeadershipHandOver"/>,
/// at the stop of <see cref="HandOverStage"/>, while the silo still serves); then, graceful or not, every replica here
/// retires and freezes its in-sync set (<see cref="SiloReplicas.FreezeForStop"/>: a leader left here removes no follower
/// while the silo's links close); at the stop of <see cref="Stage"/> it stops every replica: gracefully (materialized logs
/// closed), or as a crash when the stop is not graceful (a killed silo); the followers of a leadership not handed over
/// elect a new leader once they stop hearing from it. Unless
/// <see cref="LeadershipRebalanceOptions.Enabled"/> is false it also runs the <see cref="LeadershipRebalancer"/>, which
/// hands leaderships to a silo that came back, and unless <see cref="ReplicaReplacementOptions.Enabled"/> is false the
/// <see cref="AbsentReplicaReplacer"/>, which replaces the replicas of silos gone for good, and unless
/// <see cref="ReplicaBalanceOptions.Enabled"/> is false the <see cref="ReplicaBalancer"/>, which moves replicas to a silo
/// that joined; all three stop before the stop's hand-over.
/// </summary>
/// <remarks>Does nothing with a replication factor of 1. Thread-safe.</remarks>
internal sealed partial class ReplicaSupervisor(
    IOptions<WriteAheadLogReplicationOptions> options,
    SiloReplicas replicas,
    PartitionView view,
    PartitionActivations activations,
    ClusterReplica replica,
    IClusterMembershipService membership,
    IOptions<LeadershipRebalanceOptions> rebalance,
    IOptions<ReplicaReplacementOptions> replacement,
    IOptions<ReplicaBalanceOptions> balance,
    ILogger<ReplicaSupervisor> logger,
    ILoggerFactory loggers) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The stage: right after <see cref="ClusterReplica"/>.</summary>
    public const int Stage = ClusterReplica.Stage + 1;

    /// <summary>
    /// The stage whose stop hands the leaderships over: above <see cref="ServiceLifecycleStage.Active"/>, so it stops first,
    /// while the gateway, the membership and every activation still run.
    /// </summary>
    public const int HandOverStage = ServiceLifecycleStage.Active + 1;

    private readonly LeadershipHandOver _handOver = new(replicas, view, activations, loggers.CreateLogger<LeadershipHandOver>());
    private readonly CancellationTokenSource _rebalanceStopping = new();
    private Task _rebalance = Task.CompletedTask;
    private Task _replacement = Task.CompletedTask;
    private Task _balance = Task.CompletedTask;

    /// <summary>How often the rows are read and the replicas reconciled.</summary>
    public static readonly TimeSpan ReconcileInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>How often leadership of the served partitions is checked.</summary>
    public static readonly TimeSpan LeadershipCheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(ReplicaSupervisor), Stage, StartAsync, StopAsync);
        lifecycle.Subscribe(nameof(LeadershipHandOver), HandOverStage, static _ => Task.CompletedTask, HandOverAsync);
    }

    private async Task HandOverAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ReplicationFactor == 1)
        {
            return;
        }

        try
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // Not graceful (a kill inside the process): nothing is handed over.
                return;
            }

            // No rebalance move starts any more; one under way ends (within its timeouts) before the stop hands over.
            await _rebalanceStopping.CancelAsync().ConfigureAwait(false);
            await _rebalance.ConfigureAwait(false);
            await _replacement.ConfigureAwait(false);
            await _balance.ConfigureAwait(false);
            await _handOver.HandOverAllAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The stop stopped being graceful: the followers take over after the leader timeout.
        }
        finally
        {
            // What was not handed over stays as a crash leaves it: the later stages close this silo's links while its
            // replicas still run, and no leader here may take that for its followers' failure (SiloReplicas.FreezeForStop).
            replicas.FreezeForStop();
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ReplicationFactor == 1)
        {
            return;
        }

        _ = replicas.Messaging;
        replicas.Options.Validate();
        LeadershipRebalanceOptions rebalancing = rebalance.Value;
        rebalancing.Validate();
        ReplicaReplacementOptions replacing = replacement.Value;
        replacing.Validate();
        ReplicaBalanceOptions balancing = balance.Value;
        balancing.Validate();
        await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        LeadershipRebalancer? rebalancer = null;
        if (rebalancing.Enabled)
        {
            int factor = options.Value.ReplicationFactor;
            rebalancer = new LeadershipRebalancer(
                rebalancing, replica, replicas, view, membership, _handOver, loggers.CreateLogger<LeadershipRebalancer>(),
                balancing.Enabled ? (rows, active) => ReplicaBalance.Moving(rows, active, factor) : null);
            _rebalance = Task.Run(() => rebalancer.RunAsync(_rebalanceStopping.Token), CancellationToken.None);
        }

        var changes = new ReplicaSetChanges(replica, replicas, view, membership, rebalancer is null ? null : rebalancer.NoteJoined);
        if (replacing.Enabled)
        {
            var replacer = new AbsentReplicaReplacer(replacing, changes, loggers.CreateLogger<AbsentReplicaReplacer>());
            _replacement = Task.Run(() => replacer.RunAsync(_rebalanceStopping.Token), CancellationToken.None);
        }

        if (balancing.Enabled)
        {
            var balancer = new ReplicaBalancer(balancing, options.Value.ReplicationFactor, changes, loggers.CreateLogger<ReplicaBalancer>());
            _balance = Task.Run(() => balancer.RunAsync(_rebalanceStopping.Token), CancellationToken.None);
        }
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ReplicationFactor == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _rebalanceStopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await _rebalance.ConfigureAwait(false);
        await _replacement.ConfigureAwait(false);
        await _balance.ConfigureAwait(false);
        await replicas.StopAllAsync(graceful: !cancellationToken.IsCancellationRequested).ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(LeadershipCheckInterval);
        long ticks = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                CheckLeadership();
                if (++ticks % (ReconcileInterval.Ticks / LeadershipCheckInterval.Ticks) == 0)
                {
                    try
                    {
                        await ReconcileAsync(stopping).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        LogReconcileFailed(ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Deactivates the activations of every partition served here whose replica no longer leads the served epoch.</summary>
    internal void CheckLeadership()
    {
        foreach (HeldReplica held in replicas.Held)
        {
            long served = held.ServedEpoch;
            if (served == 0)
            {
                continue;
            }

            var status = held.Host.Status;
            if ((status.IsLeader && status.Epoch == served && held.Host.Failure is null) || !held.StopServing())
            {
                continue;
            }

            int count = activations.DeactivateAll(held.Partition, $"this silo no longer leads partition {held.Partition} (it served epoch {served}; now epoch {status.Epoch}, leader {status.Leader?.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"})");
            LogLeadershipLost(held.Partition, served, status.Epoch, status.Leader?.Value ?? 0, count);
        }
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await view.RefreshAsync(view.Refreshes, cancellationToken).ConfigureAwait(false);
        var rows = new List<PartitionRow>();
        for (int partition = 0; partition < replica.PartitionCount; partition++)
        {
            if (view.Row(partition) is PartitionRow row)
            {
                rows.Add(row);
            }
        }

        await replicas.ReconcileAsync(rows, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Reconciling this silo's partition replicas with their rows failed; retried in a moment")]
    private partial void LogReconcileFailed(Exception exception);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "No longer leading partition {Partition} (served epoch {Served}; now epoch {Epoch}, leader replica {Leader}): {Count} activations deactivated")]
    private partial void LogLeadershipLost(int partition, long served, long epoch, int leader, int count);
}
