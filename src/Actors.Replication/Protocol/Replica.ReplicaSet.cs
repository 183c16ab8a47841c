using Actors.Replication.Configuration;

namespace Actors.Replication.Protocol;

/// <summary>
/// Replica-set changes: the leader replaces a replica that is out of the in-sync set (its silo gone) by a new one, adds or
/// removes one, or removes a follower that is in the in-sync set (<see cref="RemoveFollower"/>, a move's last step), through
/// the store like any other change of its epoch. Declares no state.
/// </summary>
/// <remarks>
/// <para>Safety: acknowledgement and election look only at the in-sync set, and a change here leaves it as it is. The
/// replica removed is never in it (nor the leader), so no acknowledged entry depends on it and it cannot be elected; the
/// replica added joins outside it and enters it, as any lagging follower does, only once it holds every acknowledged
/// entry. One change at a time: the leader proposes nothing else while the write is unresolved, and a write conditioned on
/// an older version does not take effect.</para>
/// <para>A removed replica that is still running hears from no leader and cannot be elected (it is not in sync); its host
/// stops it when it reads the row, and may delete its log. The added replica starts when its silo reads the row that names
/// it (an empty log: the leader brings it up with entries or its checkpoint). A replica added again after it was removed
/// is heard only from answers to requests sent after it was added (<see cref="FollowerProgress.HeardFromStamp"/>): an
/// answer of its former self, delayed in the network, would claim entries its wiped log no longer holds.</para>
/// </remarks>
public sealed partial class Replica
{
    /// <summary>
    /// Proposes the replica set without <paramref name="remove"/> and with <paramref name="add"/> (either may be null, not
    /// both): a conditional write in this leader's epoch, the in-sync set unchanged. The outcome shows in
    /// <see cref="Configuration"/> once the store answered.
    /// </summary>
    /// <returns>False (nothing proposed) when this replica does not lead, hands over, has a configuration write
    /// unresolved, or the change is not allowed: <paramref name="remove"/> is the leader, in the in-sync set or not a
    /// replica; <paramref name="add"/> already is one; or the set would be empty.</returns>
    public bool ChangeReplicas(ReplicaId? remove, ReplicaId? add)
    {
        if (Role != ReplicaRole.Leader || _handOver is not null || _configuration.PendingWrite is not null || (remove is null && add is null))
        {
            return false;
        }

        var view = _configuration.View!;
        if (view.Epoch != _epoch)
        {
            return false;
        }

        if (remove is { } leaving && (leaving == Id || !view.Replicas.Contains(leaving) || view.IsInSync(leaving)))
        {
            return false;
        }

        if (add is { } joining && view.Replicas.Contains(joining))
        {
            return false;
        }

        var replicas = view.Replicas.Where(r => r != remove).ToList();
        if (add is { } added)
        {
            replicas.Add(added);
        }

        var proposal = view.WithReplicas(replicas);
        if (_faults.AddReplicaInSync && add is { } unsafeJoin)
        {
            proposal = proposal with { InSync = [.. proposal.InSync.Append(unsafeJoin).Order()] };
        }

        ProposeConfiguration(proposal);
        return true;
    }

    /// <summary>
    /// Proposes the replica set without <paramref name="follower"/>, which may be in the in-sync set (the last step of a
    /// move: a new replica was added and caught up, the old one leaves): one conditional write in this leader's epoch that
    /// takes it out of the replica set and of the in-sync set together. The outcome shows in <see cref="Configuration"/>
    /// once the store answered.
    /// </summary>
    /// <remarks>
    /// Safe as the leader's shrink of the in-sync set is: until the store accepted the write this leader keeps waiting for
    /// <paramref name="follower"/> (it counts the in-sync set it proposed and the one it holds), so every entry acknowledged
    /// meanwhile is durable on it too; once accepted, acknowledgement waits for the in-sync replicas left, and the removed
    /// replica can no longer be elected (not in sync in the row, and an election conditioned on an older version does not
    /// take effect). Refused when the in-sync set left would be below the floor
    /// (<see cref="Options.ReplicaOptions.MinInSyncReplicas"/>) for the replica set before or after, or while the in-sync set
    /// is frozen (<see cref="FreezeInSyncSet"/>).
    /// </remarks>
    /// <returns>False (nothing proposed) when this replica does not lead, hands over, has a configuration write unresolved,
    /// or <paramref name="follower"/> is this replica or not a replica, or it is in the in-sync set and the set is frozen or
    /// would fall below the floor.</returns>
    public bool RemoveFollower(ReplicaId follower)
    {
        if (Role != ReplicaRole.Leader || _handOver is not null || _configuration.PendingWrite is not null)
        {
            return false;
        }

        var view = _configuration.View!;
        if (view.Epoch != _epoch || follower == Id || !view.Replicas.Contains(follower))
        {
            return false;
        }

        var proposal = view.WithReplicas(view.Replicas.Where(r => r != follower)) with
        {
            InSync = [.. view.InSync.Where(r => r != follower)],
        };
        if (view.IsInSync(follower))
        {
            var floor = Math.Max(_options.InSyncFloor(view.Replicas.Length), _options.InSyncFloor(proposal.Replicas.Length));
            if (_inSyncSetFrozen || proposal.InSync.Length < floor)
            {
                return false;
            }
        }

        ProposeConfiguration(proposal);
        return true;
    }

    /// <summary>
    /// Follows the replica set of the configuration this leader just adopted: a new follower is tracked from the leader's
    /// end (probing: its log is unknown) and sent a request; a follower no longer in the set is forgotten.
    /// </summary>
    private void TrackReplicaSet(ReplicaConfiguration configuration)
    {
        List<ReplicaId>? gone = null;
        foreach (var follower in _leaderTerm.FollowerIds)
        {
            if (!configuration.Replicas.Contains(follower))
            {
                (gone ??= []).Add(follower);
            }
        }

        foreach (var follower in gone ?? [])
        {
            _leaderTerm.Untrack(follower);
        }

        foreach (var replica in configuration.Replicas)
        {
            if (replica != Id && !_leaderTerm.TryGetFollower(replica, out _))
            {
                // Heard only from answers to requests sent from now on (FollowerProgress.HeardFromStamp): the replica may
                // have been in the set before, and an answer of that time, still in flight, speaks of a log that may be gone.
                var heardFrom = _faults.StaleAnswersOfAddedReplicaCounted ? 0 : NewLeaseStamp();
                _leaderTerm.Track(replica, new FollowerProgress { NextOffset = _log.EndOffset + 1, LastHeard = _running.Now(), HeardFromStamp = heardFrom });
                SendAppend(replica);
            }
        }
    }
}
