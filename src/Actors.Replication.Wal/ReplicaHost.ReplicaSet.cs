using Actors.Replication.Protocol;

namespace Actors.Replication.Wal;

/// <summary>
/// Replica-set changes (<see cref="Replica.ChangeReplicas"/>, <see cref="Replica.RemoveFollower"/>) as host calls. Declares
/// no state.
/// </summary>
public sealed partial class ReplicaHost
{
    /// <summary>
    /// Asks this replica, as leader, to remove <paramref name="remove"/> (a replica outside the in-sync set) and add
    /// <paramref name="add"/> (a replica outside the set) in one conditional write of its epoch; completes once the
    /// replica's configuration shows the change, or false when the replica refused it (it does not lead, another
    /// configuration write is unresolved, the change is not allowed), stopped leading, or <paramref name="timeout"/> passed
    /// first (the write may still take effect: read the row).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<bool> ChangeReplicasAsync(ReplicaId? remove, ReplicaId? add, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        ChangeAndWaitAsync(() => _replica!.ChangeReplicas(remove, add), remove, add, timeout, cancellationToken);

    /// <summary>
    /// Asks this replica, as leader, to remove <paramref name="follower"/>, in the in-sync set or not, from the replica set
    /// and the in-sync set in one conditional write of its epoch (a move's last step, once the replica that takes its place
    /// is in sync); completes once the replica's configuration shows it gone, or false when the replica refused (it does
    /// not lead, another configuration write is unresolved, <paramref name="follower"/> is the leader or not a replica, or
    /// the in-sync set left would be below its floor or is frozen), stopped leading, or <paramref name="timeout"/> passed
    /// first (the write may still take effect: read the row).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<bool> RemoveFollowerAsync(ReplicaId follower, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        ChangeAndWaitAsync(() => _replica!.RemoveFollower(follower), follower, null, timeout, cancellationToken);

    private async Task<bool> ChangeAndWaitAsync(Func<bool> propose, ReplicaId? remove, ReplicaId? add, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!await OnLoopAsync(propose, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var deadline = _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);
        while (_time.GetTimestamp() < deadline)
        {
            var state = await OnLoopAsync<(ReplicaRole Role, bool Applied)?>(
                () =>
                {
                    var replicas = _replica!.Configuration!.Replicas;
                    return (_replica.Role, (remove is not { } r || !replicas.Contains(r)) && (add is not { } a || replicas.Contains(a)));
                },
                cancellationToken).ConfigureAwait(false);
            if (state is not { } now || now.Applied || now.Role != ReplicaRole.Leader)
            {
                return state is { Applied: true };
            }

            await Task.Delay(_options.HeartbeatInterval / 5, _time, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }
}
