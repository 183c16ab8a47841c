using Actors.Replication.Messages;

namespace Actors.Replication.Protocol;

/// <summary>
/// A follower's requests that arrived ahead of their predecessor: held until the log reaches them, instead of answered
/// with a divergence that would make the leader resend what is still in flight.
/// </summary>
/// <remarks>
/// <para>Why a request arrives ahead: the leader pipelines requests (each proposal is sent before the previous one is
/// answered) and the transport may reorder them (the silo transport serves the requests of one connection concurrently,
/// so two requests read in order can reach the replica's queue in the other order). Before holding, such a request
/// failed the prefix check and the follower answered <see cref="AppendDiverged"/> at its end; the leader rewound its send
/// position there and resent every entry in flight, which the follower then received twice (the run logs before issue 64, in git history).</para>
/// <para>A request is held only when nothing else can explain the gap: it comes from the leader of this replica's epoch
/// (the fencing already ran), this replica has matched its whole log with that leader in this epoch
/// (<see cref="FollowerState.MatchedOffset"/> equals the log's end, verified by an earlier request), and the request carries
/// entries. The leader's send position then passed this replica's end only by sending the entries in between, so they
/// are in flight or lost; a lost request is resent by the leader's heartbeat. Taking a held request later is the same as
/// its delayed delivery, which the protocol allows (the fencing and its lease stamp were taken on arrival; an epoch
/// change drops every held request). At most <see cref="MaxHeldRequests"/> are held; beyond that a request is answered
/// with a divergence as before.</para>
/// </remarks>
public sealed partial class Replica
{
    /// <summary>Requests held ahead of the log now (tests and diagnostics).</summary>
    public int HeldRequests => _held.Count;

    /// <summary>Holds <paramref name="request"/> when it merely arrived ahead of its predecessor; false when it must be answered now.</summary>
    private bool TryHold(AppendRequest request)
    {
        if (request.PrevOffset <= _log.EndOffset
            || request.Entries.Count == 0
            || !_followerState.MatchedInEpoch
            || _followerState.MatchedOffset != _log.EndOffset)
        {
            return false;
        }

        return _held.TryHold(request);
    }

    /// <summary>Takes the held requests the log has reached, in order of their previous offset.</summary>
    private void TakeHeldRequests()
    {
        while (_held.TryTakeReached(_log.EndOffset, out var request))
        {
            if (Role != ReplicaRole.Follower || request.Epoch != _epoch || request.From != _leader)
            {
                ForgetHeldRequests();
                return;
            }

            TakeAppendRequest(SkipCheckpointed(request));
        }
    }

    /// <summary>Drops every held request (a new epoch, a new role, a truncated or replaced log).</summary>
    private void ForgetHeldRequests() => _held.Clear();
}
