namespace Actors.Replication.Protocol;

/// <summary>The leader's heartbeat to one follower: when to send nothing, an empty request, a probe, or a resend.</summary>
/// <remarks>
/// <para>Entries in flight are resent only when the follower showed no progress at two heartbeats in a row. At the first,
/// the leader asks where the follower is (<see cref="SendHeartbeat"/>: an empty request at its matched offset, answered at
/// once with the entries it received, synced or not); a follower whose sync is merely slower than a heartbeat interval
/// answers that it has them, and nothing is resent. A request that was lost is resent one heartbeat later than it would be
/// by resending at the first heartbeat (the run logs before issue 64, in git history).</para>
/// <para>Unchanged: a follower silent for <see cref="Options.ReplicaOptions.FollowerLagTimeout"/> gets only empty probes
/// (back-off); one whose matched offset lies below the log's start is sent the checkpoint again each heartbeat until it
/// progresses; one with nothing in flight gets an empty request when nothing was sent to it within the interval.</para>
/// </remarks>
public sealed partial class Replica
{
    private void HeartbeatFollower(ReplicaId follower, FollowerProgress progress, TimeSpan heartbeatAt)
    {
        var silent = heartbeatAt - progress.LastHeard >= _options.FollowerLagTimeout;
        var moved = progress.MatchedOffset > progress.MatchedAtHeartbeat;
        var inFlight = progress.NextOffset > progress.MatchedOffset + 1;
        var sentRecently = heartbeatAt - progress.LastSent < _options.HeartbeatInterval;
        progress.MatchedAtHeartbeat = progress.MatchedOffset;
        if (silent)
        {
            progress.Stalled = false;
            progress.NextOffset = progress.MatchedOffset + 1;
            SendAppend(follower, probeOnly: true);
            return;
        }

        if (!inFlight || progress.MatchedOffset < _log.StartOffset)
        {
            progress.Stalled = false;
            if ((moved || !inFlight) && sentRecently)
            {
                return;
            }

            progress.NextOffset = progress.MatchedOffset + 1;
            SendAppend(follower);
            return;
        }

        if (moved)
        {
            // Requests flow and the follower's matched offset moves: they carry the commit offset and the lease stamp.
            progress.Stalled = false;
            if (!sentRecently)
            {
                SendHeartbeat(follower, progress);
            }

            return;
        }

        if (!progress.Stalled)
        {
            progress.Stalled = true;
            SendHeartbeat(follower, progress);
            return;
        }

        progress.Stalled = false;
        progress.NextOffset = progress.MatchedOffset + 1;
        SendAppend(follower);
    }
}
