using Actors.Cluster.Membership;
using Actors.Replication;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Partitioning;

/// <summary>The reconcile: claims, re-claims, opens and serves, hands off and stops serving, from each table snapshot and the plan.</summary>
internal sealed partial class PartitionOwnershipAgent
{
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
                else if (!mine && state == LocalPartitionState.Lost)
                {
                    // Another silo owns it now (an in-sync replica took over): this silo's failure to open it decides
                    // nothing any more, and a later grant here opens it afresh.
                    SetState(p, LocalPartitionState.None, 0);
                }
                else if (!mine && state == LocalPartitionState.Installed && IsStaleInstall(p, me))
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
                if (!StillOwnedHere(row))
                {
                    // The pass's snapshot predates a change of this partition: a hand-off of this silo granted it away
                    // after the pass began (and left it None here). Opening it now would serve a partition another silo
                    // owns, beside it (CI caught the old owner answering after the grant). The next pass decides.
                    return;
                }

                if (row.State == PartitionState.Moving)
                {
                    // A hand-off of this incarnation ended without its grant or its abort: undo the move first.
                    await _handOff.AbortMoveAsync(p, cancellationToken);
                    return;
                }

                if (!row.IsReplicated && !_logs.HasData(p))
                {
                    // Granted here (a move) or claimed by this incarnation, whose logs were installed or created before the
                    // grant or claim: missing now, they were lost; serving empty logs would silently drop acknowledged events.
                    SetState(p, LocalPartitionState.Lost, 0);
                    LogDataMissing(_logger, p, row.Epoch);
                    return;
                }

                if (!MayOpen(row))
                {
                    // The last open under this epoch failed transiently: the next starts when its back-off has passed.
                    return;
                }

                await OpenAsync(row, cancellationToken);
                break;
            case LocalPartitionState.Lost when row.IsReplicated && LastOpenFailure(p) is { } failure && failure.Epoch != row.Epoch:
                // Its open failed for good under an earlier epoch, and this silo's replica (started again since) leads a
                // later one: the only in-sync replica, or elected again. Opened afresh; a failure again is recorded again.
                SetState(p, LocalPartitionState.None, 0);
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

    /// <summary>
    /// Whether the latest view (not the pass's snapshot, which can predate a hand-off's grant) still names this incarnation
    /// the owner of <paramref name="row"/>'s partition under the same epoch.
    /// </summary>
    private bool StillOwnedHere(PartitionRecord row)
    {
        PartitionRecord latest = _membership.Current!.Partitions[row.Partition];
        return string.Equals(latest.Owner, _membership.Name, StringComparison.Ordinal)
            && latest.OwnerIncarnation == _membership.Incarnation
            && latest.Epoch == row.Epoch;
    }

    /// <summary>
    /// Whether a transfer installed here is stale: the latest view neither moves <paramref name="partition"/> here nor grants
    /// it here. Not the pass's snapshot, which can predate the move (a transfer is installed while a pass runs): the
    /// transfer's check refreshed the view before the install, so the latest one has seen the move.
    /// </summary>
    private bool IsStaleInstall(int partition, string me)
    {
        PartitionRecord latest = _membership.Current!.Partitions[partition];
        return !string.Equals(latest.Owner, me, StringComparison.Ordinal)
            && !(latest.State == PartitionState.Moving && string.Equals(latest.Target, me, StringComparison.Ordinal));
    }

    /// <summary>
    /// Opens <paramref name="row"/>'s partition under its epoch and serves it; a failed open is recorded and the partition
    /// left <see cref="LocalPartitionState.None"/> (retried) or <see cref="LocalPartitionState.Lost"/> (permanent), see
    /// <see cref="PartitionOpenFailure"/>. A replicated partition is opened only once this silo's replica leads the row's
    /// epoch and has applied every entry it holds, so it never serves a log that lacks an acknowledged entry.
    /// </summary>
    private async Task OpenAsync(PartitionRecord row, CancellationToken cancellationToken)
    {
        SetState(row.Partition, LocalPartitionState.Opening, row.Epoch);
        try
        {
            if (row.IsReplicated && !await _replicas.WaitLeadingAsync(row, LeadWait, cancellationToken))
            {
                // Not leading the row's epoch yet (its replica has not read the grant), lost it again, or not caught up.
                OpenDeferred(row, LeadWait);
                return;
            }

            await _logs.OpenAsync(row.Partition, row.Epoch, _membership.Name, _membership.Incarnation, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            SetState(row.Partition, LocalPartitionState.None, 0);
            throw;
        }
        catch (Exception ex)
        {
            // The log host closed whatever it had opened of the partition: nothing is served from a partial open.
            OpenFailed(row, ex);
            if (row.IsReplicated && LastOpenFailure(row.Partition) is { IsPermanent: true })
            {
                // This silo cannot serve the partition, but its replica leads it: stopped (as a crash would stop it), its
                // followers elect another in-sync replica, which serves it; the replica here starts again after a back-off.
                await _replicas.DropAsync(row.Partition, $"partition {row.Partition} could not be opened here under epoch {row.Epoch}: {ex.GetType().Name}: {ex.Message}");
            }

            return;
        }

        OpenSucceeded(row.Partition);
        SetState(row.Partition, LocalPartitionState.Serving, row.Epoch);
        LogServing(_logger, row.Partition, row.Epoch);
        await _reminders.ServingAsync(row.Partition, cancellationToken);
    }

    private async Task ReclaimAsync(PartitionRecord row, long incarnation, CancellationToken cancellationToken)
    {
        if (!_logs.HasData(row.Partition))
        {
            SetState(row.Partition, LocalPartitionState.Lost, 0);
            LogDataMissing(_logger, row.Partition, row.Epoch);
            return;
        }

        PartitionRecord claimed = Claimed(row, incarnation);
        if (await TryClaimAsync(row, claimed, incarnation, cancellationToken))
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

        PartitionRecord claimed = Claimed(row, incarnation) with { Replicas = replicas, InSync = replicas };
        if (await TryClaimAsync(row, claimed, incarnation, cancellationToken))
        {
            LogClaimed(_logger, row.Partition, claimed.Epoch);
            await _replicas.EnsureAsync(row.Partition, new ReplicaId(1), snapshot.ClusterId, cancellationToken);
            await OpenAsync(claimed with { Version = row.Version + 1 }, cancellationToken);
        }
    }

    private async Task ClaimAsync(PartitionRecord row, long incarnation, CancellationToken cancellationToken)
    {
        // The log directories exist before the claim is stored, so an owner that crashes right after the claim still
        // finds (empty) logs and never mistakes the partition for lost data. The install count is read first: a transfer
        // installed after it (the pass's snapshot is stale, the winner of the claim is handing the partition here) is
        // seen by the cleanup below, one installed before it by HasData.
        long installs = _logs.InstallCount(row.Partition);
        bool existed = _logs.HasData(row.Partition);
        _logs.CreateDirectories(row.Partition);
        PartitionRecord claimed = Claimed(row, incarnation);
        if (await TryClaimAsync(row, claimed, incarnation, cancellationToken))
        {
            LogClaimed(_logger, row.Partition, claimed.Epoch);
            await OpenAsync(claimed, cancellationToken);
        }
        else if (!existed)
        {
            // Another silo claimed it first: an empty directory left here would later pass for this silo's logs of it. Not
            // when a transfer of it was installed meanwhile: deleting that would leave the grant that follows without data.
            await _logs.DeleteUnclaimedAsync(row.Partition, installs);
        }
    }

    /// <summary><paramref name="row"/> owned by this silo's <paramref name="incarnation"/> under the next epoch, not moving.</summary>
    private PartitionRecord Claimed(PartitionRecord row, long incarnation)
        => row with { Owner = _membership.Name, OwnerIncarnation = incarnation, Epoch = row.Epoch + 1, State = PartitionState.Owned, Target = null };

    /// <summary>
    /// Writes <paramref name="claimed"/> (a claim or a re-claim) over <paramref name="row"/>, on condition of this silo's
    /// lease and the row's version; false when another silo or a later change got there first.
    /// </summary>
    private Task<bool> TryClaimAsync(PartitionRecord row, PartitionRecord claimed, long incarnation, CancellationToken cancellationToken)
        => _membership.TryApplyAsync(new ClusterUpdate().Write(claimed, row.Version).RequireLease(_membership.Name, incarnation), cancellationToken);

    /// <summary>How long opening a replicated partition waits for this silo's replica to lead the granted epoch before a later reconcile retries.</summary>
    private TimeSpan LeadWait => _replicas.ReplicaOptions.LeaderTimeout * 4;

    [LoggerMessage(EventId = 4400, Level = LogLevel.Information, Message = "Claimed partition {Partition} (epoch {Epoch})")]
    private static partial void LogClaimed(ILogger logger, int partition, long epoch);

    [LoggerMessage(EventId = 4401, Level = LogLevel.Information, Message = "Re-claimed partition {Partition} after a restart (epoch {Epoch})")]
    private static partial void LogReclaimed(ILogger logger, int partition, long epoch);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Information, Message = "Serving partition {Partition} (epoch {Epoch})")]
    private static partial void LogServing(ILogger logger, int partition, long epoch);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Critical, Message = "Partition {Partition} (epoch {Epoch}) is owned by this silo but its logs are missing from this volume: it will not be served empty; restore the volume")]
    private static partial void LogDataMissing(ILogger logger, int partition, long epoch);

    [LoggerMessage(EventId = 4405, Level = LogLevel.Warning, Message = "Partition {Partition} is no longer this silo's ({Row}): stops serving it")]
    private static partial void LogLostOwnership(ILogger logger, int partition, string row);

    [LoggerMessage(EventId = 4407, Level = LogLevel.Warning, Message = "Partition {Partition} is not claimed yet: replication factor {ReplicationFactor} needs that many Active silos")]
    private static partial void LogTooFewSilos(ILogger logger, int partition, int replicationFactor);
}
