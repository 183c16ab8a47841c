using System.Diagnostics.CodeAnalysis;

namespace Actors.Replication.Protocol;

/// <summary>
/// What a replica tracks while it leads an epoch: each follower's progress, the appends waiting for their
/// acknowledgement (in offset order), when each offset was appended (for the followers' lag), and when the last
/// heartbeat went out.
/// </summary>
/// <remarks>
/// Contract: <see cref="Begin"/> starts a term (append times counted from its start, the followers added by
/// <see cref="Track"/> just before); appends are recorded in increasing offset order, so the waiting appends come out of
/// <see cref="TryTakeAcknowledged"/> and <see cref="TryTakeWaiting"/> in the order they were appended, each once.
/// Offsets at or below the log's end when the term began count as appended at its start. Stepping down clears the
/// followers and drains the waiting appends; the append times stay until the next term begins.
/// Not thread-safe: the replica's driver thread uses it.
/// </remarks>
internal sealed class LeaderTerm
{
    private readonly Dictionary<ReplicaId, FollowerProgress> _followers = [];
    private readonly Queue<(long Offset, long RequestId)> _waiting = new();

    /// <summary>Append time (on the running clock) of offsets above <see cref="_appendTimesBase"/>; older offsets count from <see cref="_since"/>.</summary>
    private readonly List<TimeSpan> _appendTimes = [];
    private long _appendTimesBase;
    private TimeSpan _since;

    /// <summary>When the last heartbeat went out, in <see cref="TimeProvider"/> timestamps.</summary>
    public long LastHeartbeat { get; private set; }

    /// <summary>
    /// The end of the leader's log when the term began: every entry acknowledged in an earlier epoch lies at or below it
    /// (the leader holds them all, and never truncates its own log), whatever the leader knows of its commit offset (a
    /// restarted one knows none).
    /// </summary>
    public long EndOffsetAtStart { get; private set; }

    /// <summary>Each follower's progress in this term.</summary>
    public IReadOnlyDictionary<ReplicaId, FollowerProgress> Followers => _followers;

    /// <summary>The followers of this term.</summary>
    public Dictionary<ReplicaId, FollowerProgress>.KeyCollection FollowerIds => _followers.Keys;

    /// <summary>The progress of <paramref name="follower"/>, which must be a follower of this term.</summary>
    /// <exception cref="KeyNotFoundException"><paramref name="follower"/> is not a follower of this term.</exception>
    public FollowerProgress this[ReplicaId follower] => _followers[follower];

    /// <summary>Enumerates the followers and their progress (without allocating).</summary>
    public Dictionary<ReplicaId, FollowerProgress>.Enumerator GetEnumerator() => _followers.GetEnumerator();

    /// <summary>The progress of <paramref name="follower"/>; false when it is not a follower of this term.</summary>
    public bool TryGetFollower(ReplicaId follower, [MaybeNullWhen(false)] out FollowerProgress progress) =>
        _followers.TryGetValue(follower, out progress);

    /// <summary>Forgets every follower (a new term, or stepping down).</summary>
    public void ClearFollowers() => _followers.Clear();

    /// <summary>Tracks <paramref name="follower"/> from <paramref name="progress"/>.</summary>
    public void Track(ReplicaId follower, FollowerProgress progress) => _followers[follower] = progress;

    /// <summary>Stops tracking <paramref name="follower"/> (it left the replica set); false when it was not tracked.</summary>
    public bool Untrack(ReplicaId follower) => _followers.Remove(follower);

    /// <summary>
    /// Starts the term at <paramref name="since"/> on the running clock with the log ending at <paramref name="endOffset"/>;
    /// <paramref name="heartbeatAt"/> counts as the last heartbeat.
    /// </summary>
    public void Begin(long endOffset, TimeSpan since, long heartbeatAt)
    {
        _appendTimes.Clear();
        _appendTimesBase = endOffset;
        EndOffsetAtStart = endOffset;
        _since = since;
        LastHeartbeat = heartbeatAt;
    }

    /// <summary>Records the heartbeat sent at <paramref name="at"/>.</summary>
    public void HeartbeatSent(long at) => LastHeartbeat = at;

    /// <summary>Records that <paramref name="offset"/> was appended at <paramref name="at"/> for <paramref name="requestId"/>, which waits for its acknowledgement.</summary>
    public void Appended(long offset, long requestId, TimeSpan at)
    {
        _appendTimes.Add(at);
        _waiting.Enqueue((offset, requestId));
    }

    /// <summary>When <paramref name="offset"/> was appended, on the running clock (the term's start for older offsets).</summary>
    public TimeSpan AppendTime(long offset) =>
        offset <= _appendTimesBase ? _since : _appendTimes[(int)(offset - _appendTimesBase - 1)];

    /// <summary>Removes and gives the oldest waiting append when its offset is at or below <paramref name="committedOffset"/>.</summary>
    public bool TryTakeAcknowledged(long committedOffset, out (long Offset, long RequestId) waiting)
    {
        if (_waiting.TryPeek(out waiting) && waiting.Offset <= committedOffset)
        {
            _waiting.Dequeue();
            return true;
        }

        return false;
    }

    /// <summary>Removes and gives the oldest waiting append, whatever its offset (stepping down).</summary>
    public bool TryTakeWaiting(out (long Offset, long RequestId) waiting) => _waiting.TryDequeue(out waiting);
}
