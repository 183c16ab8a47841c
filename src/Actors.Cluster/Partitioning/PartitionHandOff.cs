using System.Diagnostics;
using Actors.Cluster.Diagnostics;
using Actors.Cluster.Membership;
using Actors.Cluster.Messaging;
using Actors.Cluster.Reminders;
using Actors.Cluster.Storage;
using Actors.Hosting;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Partitioning;

/// <summary>
/// Moves a partition from this silo to another with zero loss:
/// <list type="number">
/// <item>the row is set to Moving(target) (conditional, with this silo's lease); the partition's reminders stop firing here
/// (ticks in flight end and are recorded in its log); calls for the partition start waiting here;</item>
/// <item>its grains are deactivated (running requests finish, pending events are confirmed, checkpoints written); when
/// none of them leaves for <see cref="ClusterOptions.HandOffDrainTimeout"/> the move is undone (see <see cref="DrainAsync"/>);</item>
/// <item>its logs are closed (flushed) and every file is sent, checked (length, CRC32C) and made durable on the target;</item>
/// <item>the row grants the partition to the target under epoch + 1 (conditional on both leases); the waiting calls go there;</item>
/// <item>the local copy is deleted.</item>
/// </list>
/// Any failure before the grant undoes the move: the row goes back to Owned and the partition is served here again.
/// </summary>
internal sealed partial class PartitionHandOff(
    MembershipAgent membership,
    PartitionLogHost logs,
    PartitionTransferSender sender,
    ISiloTransport transport,
    ISiloActivations activations,
    WalGrainTypes walGrainTypes,
    ReminderPartitionOwnership reminders,
    ClusterOptions options,
    TimeProvider time,
    ILogger logger)
{
    private static readonly DeactivationReason Migrating = new(DeactivationReasonCode.Migrating, "Its partition moves to another silo.");

    public PartitionOwnershipAgent Agent { get; set; } = null!;

    public async Task HandOffAsync(int partition, string targetName, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        ClusterSnapshot snapshot = await membership.RefreshAsync(cancellationToken);
        PartitionRecord row = snapshot.Partitions[partition];
        SiloRecord? target = snapshot.FindSilo(targetName);
        if (!string.Equals(row.Owner, membership.Name, StringComparison.Ordinal) || row.OwnerIncarnation != membership.Incarnation
            || row.State != PartitionState.Owned || target is not { Status: SiloStatus.Active })
        {
            return;
        }

        PartitionRecord moving = row with { State = PartitionState.Moving, Target = targetName };
        if (!await membership.TryApplyAsync(new ClusterUpdate().Write(moving, row.Version).RequireLease(membership.Name, membership.Incarnation), cancellationToken))
        {
            return;
        }

        LogMoving(logger, partition, targetName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.MoveTimeout);
        try
        {
            // Before calls start waiting: a tick in flight still reaches its grain here, and its record goes into the
            // log that moves, so the new owner neither loses nor repeats it.
            await reminders.ReleasingAsync(partition, timeout.Token);
            Agent.SetState(partition, LocalPartitionState.HandingOff, row.Epoch);
            if (!await DrainAsync(partition, timeout.Token))
            {
                ClusterInstruments.PartitionMoved(completed: false, Stopwatch.GetElapsedTime(started));
                LogDrainStalled(logger, partition, targetName, options.HandOffDrainTimeout);
                await AbortMoveAsync(partition, CancellationToken.None);
                return;
            }

            await logs.CloseAsync(partition);
            var address = new SiloAddress(target.Name, target.Incarnation, target.SiloEndpoint);
            long bytes = await sender.SendAsync(address, partition, row.Epoch, membership.Name, timeout.Token);
            PartitionRecord current = (await membership.RefreshAsync(timeout.Token)).Partitions[partition];
            PartitionRecord granted = current with { Owner = target.Name, OwnerIncarnation = target.Incarnation, Epoch = current.Epoch + 1, State = PartitionState.Owned, Target = null };
            bool applied = current.State == PartitionState.Moving && string.Equals(current.Target, targetName, StringComparison.Ordinal)
                && await membership.TryApplyAsync(new ClusterUpdate()
                    .Write(granted, current.Version)
                    .RequireLease(membership.Name, membership.Incarnation)
                    .RequireLease(target.Name, target.Incarnation), timeout.Token);
            if (!applied)
            {
                throw new InvalidOperationException($"the grant to '{targetName}' was refused by the cluster store (row {current})");
            }

            Agent.SetState(partition, LocalPartitionState.None, 0);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
            ClusterInstruments.PartitionMoved(completed: true, elapsed);
            LogMoved(logger, partition, targetName, granted.Epoch, bytes, elapsed.TotalMilliseconds);
            await NotifyGrantedAsync(address, partition, granted.Epoch);
            logs.Delete(partition);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested || timeout.IsCancellationRequested)
        {
            ClusterInstruments.PartitionMoved(completed: false, Stopwatch.GetElapsedTime(started));
            LogMoveFailed(logger, ex, partition, targetName);
            await AbortMoveAsync(partition, CancellationToken.None);
        }
    }

    /// <summary>Undoes a move of this silo's partition that did not reach its grant: the row goes back to Owned, the partition is served here again.</summary>
    public async Task AbortMoveAsync(int partition, CancellationToken cancellationToken)
    {
        ClusterSnapshot snapshot = await membership.RefreshAsync(cancellationToken);
        PartitionRecord row = snapshot.Partitions[partition];
        if (!string.Equals(row.Owner, membership.Name, StringComparison.Ordinal) || row.OwnerIncarnation != membership.Incarnation)
        {
            // The grant happened after all (or the partition is someone else's): nothing to undo here.
            Agent.SetState(partition, LocalPartitionState.None, 0);
            return;
        }

        if (row.State == PartitionState.Moving)
        {
            PartitionRecord owned = row with { State = PartitionState.Owned, Target = null };
            if (!await membership.TryApplyAsync(new ClusterUpdate().Write(owned, row.Version).RequireLease(membership.Name, membership.Incarnation), cancellationToken))
            {
                Agent.SetState(partition, LocalPartitionState.None, 0);
                return;
            }

            row = owned;
        }

        if (!logs.IsOpen(partition, row.Epoch))
        {
            // Closed for the transfer (an undone drain left them open, under grains that may still be finishing).
            await logs.CloseAsync(partition);
            await logs.OpenAsync(partition, row.Epoch, membership.Name, membership.Incarnation, cancellationToken);
        }

        Agent.SetState(partition, LocalPartitionState.Serving, row.Epoch);
        LogMoveUndone(logger, partition, row.Epoch);
        await reminders.ServingAsync(partition, cancellationToken);
    }

    /// <summary>
    /// Deactivates <paramref name="partition"/>'s grains; false when none of them left for
    /// <see cref="ClusterOptions.HandOffDrainTimeout"/> (the deactivations that began go on; the rest are not started).
    /// </summary>
    /// <remarks>
    /// A stall means a running request waits on something that waits for this move: a call into the partition (calls wait
    /// while it is handed off) or into a partition moving off another silo whose grain calls back. Only undoing the move
    /// serves those calls; a partition of many grains that keep leaving is given the time it needs.
    /// </remarks>
    private async Task<bool> DrainAsync(int partition, CancellationToken cancellationToken)
    {
        Func<GrainId, bool> ofPartition = id => walGrainTypes.Contains(id.Type) && PartitionOf(id) == partition;
        int remaining = activations.GetActivations(ofPartition).Count;
        using var stalled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task drained = activations.DeactivateAsync(ofPartition, Migrating, stalled.Token);
        while (true)
        {
            await Task.WhenAny(drained, Task.Delay(options.HandOffDrainTimeout, time, cancellationToken));
            if (drained.IsCompleted)
            {
                await drained;
                return true;
            }

            cancellationToken.ThrowIfCancellationRequested();
            int left = activations.GetActivations(ofPartition).Count;
            if (left >= remaining)
            {
                await stalled.CancelAsync();
                await drained.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                return false;
            }

            remaining = left;
        }
    }

    /// <summary>Stops serving a partition the table gives to someone else (without deleting its logs).</summary>
    public async Task StopServingAsync(int partition, CancellationToken cancellationToken)
    {
        await reminders.ReleasingAsync(partition, cancellationToken);
        Agent.SetState(partition, LocalPartitionState.HandingOff, 0);
        await activations.DeactivateAsync(id => walGrainTypes.Contains(id.Type) && PartitionOf(id) == partition, Migrating, cancellationToken);
        await logs.CloseAsync(partition);
        Agent.SetState(partition, LocalPartitionState.None, 0);
    }

    private int PartitionOf(GrainId grainId) => PartitionMap.GetPartition(grainId, logs.PartitionCount);

    private async Task NotifyGrantedAsync(SiloAddress target, int partition, long epoch)
    {
        try
        {
            await transport.SendAsync(target, SiloMessageType.OwnershipGranted, new OwnershipGranted(partition, epoch).Encode(), options.ControlRequestTimeout, CancellationToken.None);
        }
        catch (Exception ex) when (ex is SiloUnreachableException or TimeoutException)
        {
            // The target learns the grant from the table anyway; the notice only saves it a renew period.
            LogNoticeFailed(logger, partition, target.Name, ex.Message);
        }
    }

    [LoggerMessage(EventId = 4500, Level = LogLevel.Information, Message = "Handing partition {Partition} to {Target}")]
    private static partial void LogMoving(ILogger logger, int partition, string target);

    [LoggerMessage(EventId = 4501, Level = LogLevel.Information, Message = "Partition {Partition} handed to {Target} (epoch {Epoch}, {Bytes} bytes) in {Milliseconds:F0} ms")]
    private static partial void LogMoved(ILogger logger, int partition, string target, long epoch, long bytes, double milliseconds);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Hand-off of partition {Partition} to {Target} failed; undoing it")]
    private static partial void LogMoveFailed(ILogger logger, Exception exception, int partition, string target);

    [LoggerMessage(EventId = 4503, Level = LogLevel.Information, Message = "Partition {Partition} is served here again (epoch {Epoch}) after an undone move")]
    private static partial void LogMoveUndone(ILogger logger, int partition, long epoch);

    [LoggerMessage(EventId = 4505, Level = LogLevel.Warning, Message = "Hand-off of partition {Partition} to {Target} undone: none of its grains finished deactivating within HandOffDrainTimeout {DrainTimeout} (a running request waits on a call into a moving partition); a later reconcile retries")]
    private static partial void LogDrainStalled(ILogger logger, int partition, string target, TimeSpan drainTimeout);

    [LoggerMessage(EventId = 4504, Level = LogLevel.Debug, Message = "Grant notice of partition {Partition} to {Target} not delivered: {Reason}")]
    private static partial void LogNoticeFailed(ILogger logger, int partition, string target, string reason);
}
