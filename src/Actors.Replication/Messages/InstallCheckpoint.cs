using Actors.Replication.Log;

namespace Actors.Replication.Messages;

/// <summary>
/// Leader to follower: "the entries you need next are deleted here; take this checkpoint and continue after it". Sent
/// instead of an <see cref="AppendRequest"/> whose previous offset is below the leader's log start.
/// </summary>
/// <param name="From">The leader.</param>
/// <param name="Epoch">The leader's epoch; followers that know a later epoch refuse (<see cref="AppendFenced"/>).</param>
/// <param name="Checkpoint">The leader's durable checkpoint at the start of its log (a committed offset).</param>
/// <param name="CommittedOffset">Entries up to here are acknowledged (as in <see cref="AppendRequest.CommittedOffset"/>).</param>
public sealed record InstallCheckpoint(ReplicaId From, long Epoch, ReplicaCheckpoint Checkpoint, long CommittedOffset)
    : ReplicationMessage(From, Epoch);
