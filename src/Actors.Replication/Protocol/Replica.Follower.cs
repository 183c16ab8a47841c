using Actors.Replication.Log;
using Actors.Replication.Messages;

namespace Actors.Replication.Protocol;

/// <summary>The follower's side: fencing, the prefix check, divergent-tail truncation, progress reports, leader timeout.</summary>
public sealed partial class Replica
{
    private void OnAppendRequest(AppendRequest request)
    {
        if (!AcceptFromLeader(request))
        {
            return;
        }

        ReceivedLeaseStamp(request.LeaseStamp);
        request = SkipCheckpointed(request);
        if (TryHold(request))
        {
            return;
        }

        TakeAppendRequest(request);
        TakeHeldRequests();
    }

    /// <summary>The prefix check, then the entries, the matched and committed offsets and the answer (fencing already passed).</summary>
    private void TakeAppendRequest(AppendRequest request)
    {
        if (request.PrevOffset > _log.EndOffset || _log.EpochAt(request.PrevOffset) != request.PrevEpoch)
        {
            var probe = Math.Min(request.PrevOffset, _log.EndOffset);
            _environment.Send(request.From, new AppendDiverged(Id, _epoch, probe, _log.EpochAt(probe)));
            return;
        }

        AcceptEntries(request);
        _followerState.Matched(request.PrevOffset + request.Entries.Count);
        _committedOffset = Math.Max(_committedOffset, Math.Min(request.CommittedOffset, _followerState.MatchedOffset));
        EnsureSync();

        // One answer per request where it can: a follower at the leader's end gets new entries as they are proposed, so
        // it answers only after the sync that covers them (OnSynced reports then; a sync is always under way while matched
        // entries are not durable), or at once when nothing matched waits for a sync (a heartbeat, a resend). A follower
        // catching up answers at once too: the leader sends it more only on an answer.
        var catchingUp = request.PrevOffset + request.Entries.Count < request.LeaderEndOffset;
        if (catchingUp || _log.DurableOffset >= _followerState.MatchedOffset || _faults.AcknowledgeBeforeFollowerSync)
        {
            ReportProgressToLeader();
        }
    }

    /// <summary>
    /// The fencing every leader-to-follower message goes through: refuses an older epoch, enters a newer one (stepping
    /// down if leading), and checks that one replica leads the epoch. True when the message is to be taken.
    /// </summary>
    private bool AcceptFromLeader(ReplicationMessage message)
    {
        if (message.Epoch < _epoch)
        {
            _environment.Send(message.From, new AppendFenced(Id, _epoch));
            return false;
        }

        if (message.Epoch > _epoch)
        {
            if (Role == ReplicaRole.Leader)
            {
                StepDown();
            }

            EnterEpoch(message.Epoch);
            _leader = message.From;
            _followerState.EnterEpoch();
            ForgetHeldRequests();
            _readLease.ForgetLeaderStamp();
        }
        else if (Role == ReplicaRole.Leader)
        {
            throw new ReplicationInvariantException(Id, $"{message.From} sent appends in epoch {message.Epoch}, which this replica leads");
        }
        else if (_leader is { } known && known != message.From)
        {
            throw new ReplicationInvariantException(Id, $"two leaders in epoch {message.Epoch}: {known} and {message.From}");
        }
        else
        {
            _leader = message.From;
        }

        _followerState.Heard(_running.Now());
        return true;
    }

    /// <summary>
    /// Appends what is new; drops the tail from the first entry whose epoch differs from the leader's at that offset,
    /// and a tail of older epochs beyond the leader's end.
    /// </summary>
    private void AcceptEntries(AppendRequest request)
    {
        var offset = request.PrevOffset;
        var index = 0;
        for (; index < request.Entries.Count; index++)
        {
            offset++;
            if (offset > _log.EndOffset)
            {
                break;
            }

            if (_log.EpochAt(offset) != request.Entries[index].Epoch)
            {
                TruncateTail(offset - 1);
                break;
            }
        }

        if (index < request.Entries.Count)
        {
            var firstOffset = request.PrevOffset + index + 1;
            var fresh = new List<LogEntry>(request.Entries.Count - index);
            for (var i = index; i < request.Entries.Count; i++)
            {
                _log.Append(request.Entries[i]);
                fresh.Add(request.Entries[i]);
            }

            _environment.WriteEntries(firstOffset, fresh);
        }

        var verifiedEnd = request.PrevOffset + request.Entries.Count;
        if (verifiedEnd == request.LeaderEndOffset && _log.EndOffset > verifiedEnd && _log.EpochAt(verifiedEnd + 1) < request.Epoch)
        {
            TruncateTail(verifiedEnd);
        }
    }

    private void TruncateTail(long length)
    {
        if (length < _log.StartOffset)
        {
            throw new ReplicationInvariantException(
                Id, $"would truncate to {length} below the checkpoint at {_log.StartOffset} (committed entries)");
        }

        if (length < _followerState.MatchedOffset)
        {
            throw new ReplicationInvariantException(
                Id, $"would truncate to {length} below the offset {_followerState.MatchedOffset} already matched with leader {_leader} in epoch {_epoch}");
        }

        _log.TruncateTo(length);
        _environment.Truncate(length);
        ForgetHeldRequests();
    }

    private void ReportProgressToLeader()
    {
        if (Role != ReplicaRole.Follower || _leader is not { } leader)
        {
            return;
        }

        var matched = _followerState.MatchedOffset;
        var durable = _faults.AcknowledgeBeforeFollowerSync ? matched : Math.Min(_log.DurableOffset, matched);
        _environment.Send(leader, new AppendAccepted(Id, _epoch, matched, durable, StampToEcho()));
    }

    private void FollowerTick(long now)
    {
        if (_configuration.PendingWrite is not null || _configuration.View is not { } view)
        {
            return;
        }

        var mayLead = !_retired && (view.IsInSync(Id) || _faults.ElectOutsideInSync);
        var readRecently = _configuration.ElectionWanted && _time.GetElapsedTime(_configuration.LastRead, now) < _options.HeartbeatInterval;
        if (mayLead && !readRecently && LeaderTimedOut())
        {
            _configuration.ElectionWanted = true;
            RequestConfigurationRead();
        }
    }

    /// <summary>
    /// Whether the leader has been silent for the leader timeout (plus a stagger by replica number) of this replica's running
    /// time; plus a back-off when this replica has never heard from the leader of the store's epoch (it only read of it).
    /// </summary>
    /// <remarks>
    /// The back-off (the lag timeout and a poll interval) is for a leader cut off from its followers but not from the
    /// store: deposed by an in-sync follower's election, it reads the new epoch but hears nothing of its leader, and without
    /// the back-off it would ask for the epoch after that as soon as its own leader timeout ran out, depose the new leader
    /// (which cannot reach it either) and so on, the lead moving to and fro across the cut. The new leader removes it from
    /// the in-sync set after the lag timeout (a store write, within a poll interval), before the back-off ends, and from
    /// then on it may not ask at all. A follower that heard from the leader of its epoch (the usual failover) does not wait
    /// longer; one that never did (that leader failed first) waits the back-off once more. It only delays a request to the
    /// store, so it changes no guarantee.
    /// </remarks>
    private bool LeaderTimedOut()
    {
        var timeout = _options.LeaderTimeout + (_options.HeartbeatInterval * Id.Value);
        if (_configuration.View is { } view && view.Epoch > _epoch && !_faults.ElectWithoutBackOff)
        {
            timeout += _options.FollowerLagTimeout + _options.ConfigurationPollInterval;
        }

        return _running.Now() - _followerState.LastLeaderContact >= timeout;
    }
}
