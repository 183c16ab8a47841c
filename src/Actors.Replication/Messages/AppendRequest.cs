using Actors.Replication.Log;

namespace Actors.Replication.Messages;

/// <summary>
/// Leader to follower: "after the entry at <paramref name="PrevOffset"/> of epoch <paramref name="PrevEpoch"/> come
/// <paramref name="Entries"/>". Empty <paramref name="Entries"/> is a heartbeat that still checks the prefix.
/// </summary>
/// <param name="From">The leader.</param>
/// <param name="Epoch">The leader's epoch; followers that know a later epoch refuse.</param>
/// <param name="PrevOffset">The offset before the first entry (0: from the start).</param>
/// <param name="PrevEpoch">The epoch of the leader's entry at <paramref name="PrevOffset"/> (0 for offset 0).</param>
/// <param name="Entries">Entries for offsets <paramref name="PrevOffset"/> + 1 onwards.</param>
/// <param name="LeaderEndOffset">The leader's end offset when it sent the request; a follower whose log goes beyond it
/// with entries of an older epoch drops them (they cannot be acknowledged: the leader holds every acknowledged entry).</param>
/// <param name="CommittedOffset">Entries up to here are acknowledged (durable on every in-sync replica).</param>
/// <param name="LeaseStamp">The leader's clock (<see cref="TimeProvider.GetTimestamp"/>) when it built the request; the
/// follower echoes it in <see cref="AppendAccepted.EchoedStamp"/> and the leader's read lease runs from the echoed stamps
/// (docs/replication.md, "Reads after failover"). 0: none (a stamp of 0 is never counted, which only shortens the lease).</param>
public sealed record AppendRequest(
    ReplicaId From,
    long Epoch,
    long PrevOffset,
    long PrevEpoch,
    IReadOnlyList<LogEntry> Entries,
    long LeaderEndOffset,
    long CommittedOffset,
    long LeaseStamp = 0)
    : ReplicationMessage(From, Epoch);
