using Actors.Replication.Configuration;

namespace Actors.Replication.Protocol;

/// <summary>
/// Hand-over: a leader that is about to stop (a graceful shutdown, a rebalance) makes an in-sync follower the leader of the
/// next epoch instead of letting the followers time out.
/// </summary>
/// <remarks>
/// <para>States: <b>draining</b> (from <see cref="HandOver"/>: new proposals are refused with nothing appended; the leader
/// waits until every entry it appended is acknowledged and durable on the target), then <b>written</b> (the conditional
/// write of the configuration with the target as leader and the epoch plus one, the same in-sync set, as any election's;
/// proposals still refused), then the store's answer: taken effect, the leader steps down to follower as for any newer epoch
/// (the target learns it by its own read of the store and starts leading); not taken (another write won), the hand-over
/// ends and the replica acts on what it read. A draining hand-over that has not written within
/// <see cref="Options.ReplicaOptions.LeaderTimeout"/> (the target does not catch up) gives up: the replica leads on.</para>
/// <para>Safety is the election's: the store names one leader per epoch, and the target is in the in-sync set, so it holds
/// every acknowledged entry (docs/replication.md). Waiting for the commit point only spares the callers an append of unknown
/// outcome; it is not what makes the change safe.</para>
/// </remarks>
public sealed partial class Replica
{
    /// <summary>The follower this leader is handing its leadership to, or null when no hand-over runs.</summary>
    public ReplicaId? HandingOverTo => _handOver?.Target;

    /// <summary>
    /// Starts handing this leader's leadership to <paramref name="target"/> (null: the in-sync follower whose durable log is
    /// longest). From now on proposals are refused (abandoned with nothing appended) until the hand-over ends.
    /// </summary>
    /// <returns>False (nothing changed) when this replica does not lead, a hand-over or another configuration write is under
    /// way, or no in-sync follower (or not <paramref name="target"/>) can take over.</returns>
    public bool HandOver(ReplicaId? target = null)
    {
        if (Role != ReplicaRole.Leader || _handOver is not null || _configuration.PendingWrite is not null)
        {
            return false;
        }

        var view = _configuration.View!;
        ReplicaId? chosen = null;
        long best = long.MinValue;
        foreach (var (follower, progress) in _leaderTerm)
        {
            var eligible = view.IsInSync(follower) || _faults.HandOverOutsideInSync;
            if (!eligible || (target is { } wanted && follower != wanted))
            {
                continue;
            }

            // The longest durable log catches up first (a deliberately broken protocol picks the shortest).
            var score = _faults.HandOverOutsideInSync ? -progress.DurableOffset : progress.DurableOffset;
            if (chosen is not { } other || score > best || (score == best && follower.Value < other.Value))
            {
                chosen = follower;
                best = score;
            }
        }

        if (chosen is not { } successor)
        {
            return false;
        }

        _handOver = new HandOverState(successor, _time.GetTimestamp());
        ContinueHandOver();
        return true;
    }

    /// <summary>Whether this replica no longer stands for leadership (<see cref="Retire"/>).</summary>
    public bool Retired => _retired;

    /// <summary>
    /// From now on this replica never makes itself leader: no election when its leader falls silent, no resuming a
    /// leadership the store still names it for. It goes on following and acknowledging (it stays in the in-sync set until
    /// a leader removes it), and it still leads when the store names it leader of an epoch it has not entered (another
    /// replica's write: a hand-over to it). For a replica whose process is stopping: without it, the replica that has
    /// just handed its leadership over times out waiting for the new leader's first heartbeat (when the new leader learns
    /// of its election only at its next read of the store) and can win the next election, leaving the partition led by
    /// a process about to stop. A leader that retires leads on (hand it over first). Not undone.
    /// </summary>
    public void Retire() => _retired = true;

    /// <summary>Writes the configuration naming the target once it holds everything this leader appended (leader only).</summary>
    private void ContinueHandOver()
    {
        if (_handOver is not { Written: false } handOver || Role != ReplicaRole.Leader || _configuration.PendingWrite is not null)
        {
            return;
        }

        var view = _configuration.View!;
        if (!view.IsInSync(handOver.Target) && !_faults.HandOverOutsideInSync)
        {
            // The target fell out of the in-sync set while this leader waited: it may lack acknowledged entries.
            _handOver = null;
            return;
        }

        var caughtUp = _faults.HandOverOutsideInSync
            || (_committedOffset >= _log.EndOffset
                && _leaderTerm.TryGetFollower(handOver.Target, out var progress)
                && progress.DurableOffset >= _log.EndOffset);
        if (!caughtUp)
        {
            if (_time.GetElapsedTime(handOver.StartedAt) >= _options.LeaderTimeout)
            {
                _handOver = null;
            }

            return;
        }

        var proposal = view.WithNewLeader(handOver.Target);
        if (!proposal.IsInSync(handOver.Target))
        {
            proposal = proposal with { InSync = [.. proposal.InSync.Append(handOver.Target).Order()] };
        }

        handOver.MarkWritten();
        ProposeConfiguration(proposal);
    }

    /// <summary>A hand-over whose write was resolved without this replica stepping down (another write won) is over.</summary>
    private void EndHandOverIfResolved()
    {
        if (_handOver is { Written: true } && _configuration.PendingWrite is null && Role == ReplicaRole.Leader)
        {
            _handOver = null;
        }
    }
}
