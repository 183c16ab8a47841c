using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Storage;
using Actors.Replication;
using Actors.Replication.Configuration;
using Microsoft.Extensions.Logging;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// A graceful stop's first step (replication factor above 1): every partition this silo leads hands its leadership to an
/// in-sync follower while the silo still serves and forwards calls, so that no call fails for want of a leader and no
/// follower has to time out.
/// </summary>
/// <remarks>
/// <para>Per partition led here, all partitions at once: (1) new storage calls of the partition on this silo wait
/// (<see cref="HeldReplica.BeginHandOver"/>); (2) the partition's activations here are deactivated and awaited (each
/// finishes the call it runs, its writes still acknowledged by this leader; Orleans forwards the calls queued for it);
/// (3) the replica hands over (<see cref="Actors.Replication.Wal.ReplicaHost.HandOverWithinAsync"/>: appends refused, the
/// follower caught up to the commit point, the row rewritten with the follower as leader of the next epoch, this
/// replica a follower; an attempt that gives up is started again within <see cref="HandOverTimeout"/>); (4) the new row is published to this silo's placement and the waiting calls are released: they are
/// refused during their activation, which Orleans answers by placing the call again, now on the new leader. A partition
/// whose hand-over does not complete (no in-sync follower, the store unreachable) is left to the failover as before.
/// First, every replica of this silo retires (<see cref="Actors.Replication.Wal.ReplicaHost.Retire"/>): none is elected
/// leader again while the silo stops.</para>
/// <para><see cref="MoveAsync"/> is the same hand-over for one partition on a silo that stays up (a rebalance,
/// <see cref="LeadershipRebalancer"/>): its replica is not retired.</para>
/// <para>Runs at the stop of <see cref="ReplicaSupervisor.HandOverStage"/>, before Orleans stops its gateway, leaves the
/// membership and deactivates the silo's grains. Thread-safe; called once.</para>
/// </remarks>
internal sealed partial class LeadershipHandOver(
    SiloReplicas replicas,
    PartitionView view,
    PartitionActivations activations,
    ILogger<LeadershipHandOver> logger)
{
    /// <summary>How long a partition's activations may take to finish their calls and deactivate.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the replica may take to hand over once its activations are gone: an attempt that cannot start or gives up
    /// (its follower did not catch up within the replica's leader timeout, as on a loaded machine) is started again
    /// until then (<see cref="Actors.Replication.Wal.ReplicaHost.HandOverWithinAsync"/>).
    /// </summary>
    public static readonly TimeSpan HandOverTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Hands over every partition this silo leads; completes when each hand-over has ended (moved or not).</summary>
    public async Task HandOverAllAsync(CancellationToken cancellationToken)
    {
        // No replica of a stopping silo stands for leadership again: the one that hands over would otherwise time out
        // waiting for its successor's first heartbeat (the successor learns of its election at its next read of the
        // rows) and could win the next election, its partition then led by a silo that is leaving (calls refused as
        // "not an active silo" until the others elect again: a second leader change).
        foreach (HeldReplica held in replicas.Held)
        {
            held.Host.Retire();
        }

        HeldReplica[] leading = [.. replicas.Held.Where(h => h.Host.Status.IsLeader && h.Host.Failure is null)];
        foreach (HeldReplica held in leading)
        {
            held.BeginHandOver();
        }

        int[] moved = await Task.WhenAll(leading.Select(h => HandOverAsync(h, cancellationToken))).ConfigureAwait(false);
        LogHandedOver(moved.Count(m => m != 0), leading.Length);
    }

    private async Task<int> HandOverAsync(HeldReplica held, CancellationToken cancellationToken)
    {
        int successor = 0;
        try
        {
            (int count, bool finished) = await activations.DeactivateAllAsync(
                held.Partition, $"this silo is stopping: partition {held.Partition}'s leadership is handed over", DrainTimeout).ConfigureAwait(false);
            ReplicaId? next = await held.Host.HandOverWithinAsync(null, HandOverTimeout, cancellationToken).ConfigureAwait(false);
            successor = next?.Value ?? 0;
            if (next is not null)
            {
                held.StopServing();
                await PublishRowAsync(held.Partition).ConfigureAwait(false);
                LogPartitionHandedOver(held.Partition, successor, count, finished);
            }
            else
            {
                LogPartitionNotHandedOver(held.Partition, count);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPartitionHandOverFailed(ex, held.Partition);
        }
        finally
        {
            held.EndHandOver(successor);
        }

        return successor;
    }

    /// <summary>
    /// A rebalance's move (the silo stays up): hands <paramref name="held"/>'s leadership to <paramref name="target"/> as a
    /// stop does (new calls wait, the partition's activations here drain, the replica hands over, the new row is published,
    /// the waiting calls are released and placed again), without retiring the replica: it follows on and may lead again.
    /// </summary>
    /// <returns>Whether the leadership moved to <paramref name="target"/>; false when this replica does not lead, a hand-over
    /// runs already, or the target did not catch up in time (this replica then leads on).</returns>
    public async Task<bool> MoveAsync(HeldReplica held, int target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(held);
        if (held.HandingOver || !held.Host.Status.IsLeader || held.Host.Failure is not null)
        {
            return false;
        }

        held.BeginHandOver();
        int successor = 0;
        try
        {
            (int count, bool finished) = await activations.DeactivateAllAsync(
                held.Partition, $"partition {held.Partition}'s leadership moves to replica {target} (rebalance)", DrainTimeout).ConfigureAwait(false);
            ReplicaId? next = await held.Host.HandOverWithinAsync(new ReplicaId(target), HandOverTimeout, cancellationToken).ConfigureAwait(false);
            successor = next?.Value ?? 0;
            if (next is not null)
            {
                held.StopServing();
                await PublishRowAsync(held.Partition).ConfigureAwait(false);
                LogPartitionMoved(held.Partition, successor, count, finished);
            }
            else
            {
                LogPartitionNotMoved(held.Partition, target, count);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPartitionMoveFailed(ex, held.Partition, target);
        }
        finally
        {
            held.EndHandOver(successor);
        }

        return successor == target;
    }

    /// <summary>Publishes the partition's new row to this silo's placement (the calls it forwards go to the new leader).</summary>
    private async Task PublishRowAsync(int partition)
    {
        try
        {
            ReplicaConfiguration row = await replicas.Reads.ReadAsync(partition).ConfigureAwait(false);
            view.Publish(PartitionRow.Of(partition, row));
        }
        catch (ReplicaConfigurationStoreException ex)
        {
            LogPartitionHandOverFailed(ex, partition);
        }
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "Stopping: handed over {Moved} of the {Leading} partition leaderships this silo held")]
    private partial void LogHandedOver(int moved, int leading);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "Stopping: partition {Partition} handed over to replica {Successor} ({Count} activations deactivated first; all finished: {Finished})")]
    private partial void LogPartitionHandedOver(int partition, int successor, int count, bool finished);

    [LoggerMessage(EventId = 52, Level = LogLevel.Warning, Message = "Stopping: partition {Partition} could not be handed over (no in-sync follower caught up in time); its followers take over after the leader timeout ({Count} activations deactivated)")]
    private partial void LogPartitionNotHandedOver(int partition, int count);

    [LoggerMessage(EventId = 53, Level = LogLevel.Warning, Message = "Stopping: the hand-over of partition {Partition} failed; its followers take over after the leader timeout")]
    private partial void LogPartitionHandOverFailed(Exception exception, int partition);

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Rebalance: partition {Partition} handed over to replica {Successor} ({Count} activations deactivated first; all finished: {Finished})")]
    private partial void LogPartitionMoved(int partition, int successor, int count, bool finished);

    [LoggerMessage(EventId = 61, Level = LogLevel.Information, Message = "Rebalance: partition {Partition} not handed over to replica {Target} (it did not catch up in time, or this replica no longer leads); it leads on ({Count} activations deactivated)")]
    private partial void LogPartitionNotMoved(int partition, int target, int count);

    [LoggerMessage(EventId = 62, Level = LogLevel.Warning, Message = "Rebalance: the hand-over of partition {Partition} to replica {Target} failed")]
    private partial void LogPartitionMoveFailed(Exception exception, int partition, int target);
}
