using Actors.Replication.Configuration;
using Actors.Replication.Log;
using Actors.Replication.Messages;

namespace Actors.Replication.Protocol;

/// <summary>The leader's side: append, replicate, acknowledge, shrink and grow the in-sync set through the store.</summary>
public sealed partial class Replica
{
    /// <summary>Whether this replica, as leader, no longer removes a replica from the in-sync set (<see cref="FreezeInSyncSet"/>).</summary>
    public bool InSyncSetFrozen => _inSyncSetFrozen;

    /// <summary>
    /// From now on this replica, whenever it leads, never proposes a configuration that removes a replica from the in-sync
    /// set: a follower that falls silent or lags stays in it, and appends wait for it (as for a follower at the in-sync
    /// floor, <see cref="Options.ReplicaOptions.MinInSyncReplicas"/>). It still adds a follower that caught up, still hands
    /// over, and a configuration write it sent before is resolved as any other. Not undone.
    /// </summary>
    /// <remarks>
    /// For a replica whose process is stopping without having handed its leadership over (a stop that is not graceful, a
    /// hand-over that did not complete, the host being disposed): while the process goes down its own links close before
    /// its replicas stop, so its followers fall silent because of the leader, not because they lag. Removing them would
    /// leave the row naming the leader alone in sync, and no follower could take over the partition (only an in-sync
    /// replica may): it would wait for the stopped process to come back. Frozen, the leader leaves the row as a crash would
    /// have left it, and an in-sync follower elects itself once the leader falls silent. Safe: keeping a replica in the set
    /// only makes acknowledgements wait for it.
    /// </remarks>
    public void FreezeInSyncSet() => _inSyncSetFrozen = true;

    private void BecomeLeader(ReplicaConfiguration configuration)
    {
        EnterEpoch(configuration.Epoch);
        Role = ReplicaRole.Leader;
        _leader = Id;
        _handOver = null;
        _configuration.Adopt(configuration);
        _configuration.SawEpoch(configuration.Epoch);
        _followerState.EnterEpoch();
        ForgetHeldRequests();
        _leaderTerm.ClearFollowers();
        foreach (var replica in configuration.Replicas)
        {
            if (replica != Id)
            {
                _leaderTerm.Track(replica, new FollowerProgress { NextOffset = _log.EndOffset + 1, LastHeard = _running.Now() });
            }
        }

        _leaderTerm.Begin(_log.EndOffset, _running.Now(), _time.GetTimestamp());
        EnsureSync();
        foreach (var follower in _leaderTerm.FollowerIds)
        {
            SendAppend(follower);
        }
    }

    private void StepDown()
    {
        Role = ReplicaRole.Follower;
        _handOver = null;
        _leaderTerm.ClearFollowers();
        _configuration.ForgetPendingWrite();
        _followerState.Heard(_running.Now());
        while (_leaderTerm.TryTakeWaiting(out var waiting))
        {
            _environment.Abandon(waiting.RequestId, appended: true);
        }
    }

    private void AppendAsLeader(IReadOnlyList<Proposal> proposals)
    {
        var firstOffset = _log.EndOffset + 1;
        var entries = new LogEntry[proposals.Count];
        var now = _running.Now();
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new LogEntry(_epoch, proposals[i].Payload);
            var offset = _log.Append(entries[i]);
            _leaderTerm.Appended(offset, proposals[i].RequestId, now);
        }

        _environment.WriteEntries(firstOffset, entries);
        EnsureSync();

        // A follower whose send position was at the end gets the new entries now (pipelined: without waiting for its
        // answer to what is in flight), in as few requests as the per-request limit allows; one behind, or whose end is
        // not known yet (probing), gets them when it answers.
        foreach (var (follower, progress) in _leaderTerm)
        {
            if (progress.NextOffset == firstOffset && !progress.Probing)
            {
                do
                {
                    SendAppend(follower);
                }
                while (progress.NextOffset <= _log.EndOffset);
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="follower"/> the entries after its send position (or the checkpoint when they are deleted);
    /// with <paramref name="probeOnly"/>, an empty request that only checks the prefix (a follower that stopped
    /// answering is not sent its backlog or the checkpoint every heartbeat).
    /// </summary>
    private void SendAppend(ReplicaId follower, bool probeOnly = false)
    {
        var progress = _leaderTerm[follower];
        var prevOffset = Math.Min(progress.NextOffset - 1, _log.EndOffset);
        if (prevOffset < _log.StartOffset)
        {
            if (!probeOnly)
            {
                SendCheckpoint(follower, progress);
                return;
            }

            prevOffset = _log.StartOffset;
        }

        var entries = probeOnly ? [] : _log.Read(prevOffset + 1, _options.MaxEntriesPerRequest);
        _environment.Send(
            follower,
            new AppendRequest(Id, _epoch, prevOffset, _log.EpochAt(prevOffset), entries, _log.EndOffset, _committedOffset, NewLeaseStamp()));
        progress.NextOffset = prevOffset + entries.Count + 1;
        progress.LastSent = _running.Now();
    }

    /// <summary>
    /// Sends <paramref name="follower"/> an empty request at its matched offset, leaving its send position (and what is in
    /// flight) alone: it carries the commit offset and the lease stamp, and the follower answers it at once with how far
    /// it has matched, received entries included (it lies behind the leader's end).
    /// </summary>
    private void SendHeartbeat(ReplicaId follower, FollowerProgress progress)
    {
        var prevOffset = Math.Clamp(progress.MatchedOffset, _log.StartOffset, _log.EndOffset);
        _environment.Send(
            follower,
            new AppendRequest(Id, _epoch, prevOffset, _log.EpochAt(prevOffset), [], _log.EndOffset, _committedOffset, NewLeaseStamp()));
        progress.LastSent = _running.Now();
    }

    private void OnAppendAccepted(AppendAccepted accepted)
    {
        if (Role != ReplicaRole.Leader || accepted.Epoch != _epoch || !_leaderTerm.TryGetFollower(accepted.From, out var progress)
            || accepted.EchoedStamp < progress.HeardFromStamp)
        {
            return;
        }

        progress.LastHeard = _running.Now();
        progress.Probing = false;
        ReceivedEcho(progress, accepted.EchoedStamp);
        progress.MatchedOffset = Math.Max(progress.MatchedOffset, accepted.MatchedOffset);
        progress.DurableOffset = Math.Max(progress.DurableOffset, Math.Min(accepted.DurableOffset, accepted.MatchedOffset));
        progress.NextOffset = Math.Max(progress.NextOffset, progress.MatchedOffset + 1);
        AdvanceCommit();
        ContinueHandOver();
        if (Role == ReplicaRole.Leader && progress.NextOffset <= _log.EndOffset)
        {
            SendAppend(accepted.From);
        }
    }

    /// <summary>
    /// The leader-epoch rule: the follower holds epoch <c>ProbeEpoch</c> at <c>ProbeOffset</c>. If the leader holds the
    /// same there, the logs agree up to the probe. Otherwise they agree at most up to the end of that epoch in the
    /// leader's log (and below the probe); the next request's prefix check confirms the guess.
    /// </summary>
    private void OnAppendDiverged(AppendDiverged diverged)
    {
        if (Role != ReplicaRole.Leader || diverged.Epoch != _epoch || !_leaderTerm.TryGetFollower(diverged.From, out var progress))
        {
            return;
        }

        progress.LastHeard = _running.Now();
        progress.Probing = true;
        var probe = Math.Min(diverged.ProbeOffset, _log.EndOffset);
        if (probe < _log.StartOffset)
        {
            // The follower lacks entries this log has deleted: only the checkpoint can bring it further.
            progress.NextOffset = probe + 1;
            SendAppend(diverged.From);
            return;
        }

        var agreed = _log.EpochAt(probe) == diverged.ProbeEpoch
            ? probe
            : Math.Min(probe - 1, _log.EndOffsetOfEpoch(diverged.ProbeEpoch));
        progress.NextOffset = Math.Max(0, agreed) + 1;
        SendAppend(diverged.From);
    }

    private void OnAppendFenced(AppendFenced fenced)
    {
        if (Role == ReplicaRole.Leader && fenced.Epoch > _epoch)
        {
            StepDown();
            RequestConfigurationRead();
        }
    }

    /// <summary>Acknowledges what is durable on the leader and on every replica it must wait for.</summary>
    private void AdvanceCommit()
    {
        var committed = _log.DurableOffset;
        if (PendingWriteOfThisEpoch() is null)
        {
            // The common case, without allocating: the in-sync set only (ReplicasToWaitFor's answer then).
            foreach (var replica in _configuration.View!.InSync)
            {
                if (replica != Id)
                {
                    committed = _leaderTerm.TryGetFollower(replica, out var progress) ? Math.Min(committed, progress.DurableOffset) : 0;
                }
            }
        }
        else
        {
            foreach (var replica in ReplicasToWaitFor())
            {
                committed = _leaderTerm.TryGetFollower(replica, out var progress) ? Math.Min(committed, progress.DurableOffset) : 0;
            }
        }

        if (committed <= _committedOffset)
        {
            return;
        }

        _committedOffset = committed;
        while (_leaderTerm.TryTakeAcknowledged(committed, out var waiting))
        {
            _environment.Acknowledge(waiting.RequestId, waiting.Offset, _epoch);
        }
    }

    /// <summary>The in-sync set, plus a proposed one until the store's answer is known (a removal counts only once accepted).</summary>
    private IEnumerable<ReplicaId> ReplicasToWaitFor()
    {
        var view = _configuration.View!;
        var inSync = view.InSync.AsEnumerable();
        if (PendingWriteOfThisEpoch() is { } pending)
        {
            var stopWaitingAtOnce = _faults.ShrinkInSyncBeforeStoreAccepts
                || (_faults.RemovedFollowerNotAwaited && pending.Proposal.Replicas.Length < view.Replicas.Length);
            inSync = stopWaitingAtOnce ? pending.Proposal.InSync : inSync.Union(pending.Proposal.InSync);
        }

        return inSync.Where(r => r != Id);
    }

    /// <summary>The configuration write this leader proposed and awaits the store's answer to, or null.</summary>
    private PendingConfigurationWrite? PendingWriteOfThisEpoch() =>
        _configuration.PendingWrite is { } pending && pending.Proposal.Epoch == _epoch ? pending : null;

    private void LeaderTick(long now)
    {
        ContinueHandOver();
        if (Role != ReplicaRole.Leader)
        {
            return;
        }

        if (_time.GetElapsedTime(_leaderTerm.LastHeartbeat, now) >= _options.HeartbeatInterval)
        {
            _leaderTerm.HeartbeatSent(now);
            var heartbeatAt = _running.Now();
            foreach (var (follower, progress) in _leaderTerm)
            {
                HeartbeatFollower(follower, progress, heartbeatAt);
            }
        }

        if (_configuration.PendingWrite is not null)
        {
            return;
        }

        var view = _configuration.View!;
        var running = _running.Now();
        var floor = _faults.InSyncFloorOfOne ? 1 : _options.InSyncFloor(view.Replicas.Length);

        // At its floor (or frozen) with a follower it would remove, the leader cannot acknowledge until that follower
        // answers; a live follower outside the set then joins as soon as it holds every acknowledged entry (the invariant
        // the set needs), not only once it reached the leader's end, which appends arriving faster than its catch-up would
        // keep it from. Every acknowledged entry: those of this term (the commit offset) and those of earlier epochs, which
        // lie within the log as it was when the term began (a restarted leader knows no commit offset, a new one only what
        // its former leader told it: the commit offset alone would let an empty replica in, one added or added back).
        var mayShrink = view.InSync.Length > floor && !_inSyncSetFrozen;
        var blocked = !mayShrink && AnyInSyncFollowerOutOfSync(view, running);
        var acknowledged = Math.Max(_committedOffset, _leaderTerm.EndOffsetAtStart);
        ReplicaId? leaving = null;
        ReplicaId? joining = null;
        foreach (var (follower, progress) in _leaderTerm)
        {
            // Lag is judged on the running clock: a stall of this leader's own process is no evidence against a follower.
            // A follower is heard at least once per heartbeat interval (an idle one answers the empty requests), so one
            // silent for the lag timeout is out of sync even when it owes no entry: an idle partition must not keep a
            // follower it cannot reach in its in-sync set (the next append would wait the lag timeout, and a failover
            // could pick that follower as leader).
            var silent = running - progress.LastHeard >= _options.FollowerLagTimeout;
            if (view.IsInSync(follower))
            {
                // Of the followers out of sync, the one heard from least recently leaves first: a follower cut off goes
                // before one that answers but lags (which, just let in while the set was at its floor, would otherwise
                // leave again at once and keep the cut one in). At the floor (ReplicaOptions.MinInSyncReplicas), or while
                // this leader's process stops (FreezeInSyncSet), none leaves, so that a cut or departing leader leaves an
                // in-sync replica on the other side that may take the lead; appends wait for it.
                if (mayShrink && IsOutOfSync(progress, running) && (leaving is null || progress.LastHeard < _leaderTerm[leaving.Value].LastHeard))
                {
                    leaving = follower;
                }
            }
            else if (joining is null && !silent && progress.DurableOffset >= acknowledged && (progress.DurableOffset >= _log.EndOffset || blocked))
            {
                joining = follower;
            }
        }

        if (leaving is { } removed)
        {
            ProposeConfiguration(view.WithInSync(view.InSync.Where(r => r != removed)));
        }
        else if (joining is { } added)
        {
            ProposeConfiguration(view.WithInSync(view.InSync.Append(added)));
        }
    }

    /// <summary>Whether an in-sync follower is silent or lags by the lag timeout (one the leader would remove).</summary>
    private bool AnyInSyncFollowerOutOfSync(ReplicaConfiguration view, TimeSpan running)
    {
        foreach (var (follower, progress) in _leaderTerm)
        {
            if (view.IsInSync(follower) && IsOutOfSync(progress, running))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsOutOfSync(FollowerProgress progress, TimeSpan running) =>
        running - progress.LastHeard >= _options.FollowerLagTimeout
        || (progress.DurableOffset < _log.EndOffset && running - AppendTime(progress.DurableOffset + 1) >= _options.FollowerLagTimeout);

    private TimeSpan AppendTime(long offset) => _leaderTerm.AppendTime(offset);
}
