using Actors.Replication.Protocol;

namespace Actors.Replication.Wal;

/// <summary>The hand-over of a leadership (<see cref="Replica.HandOver"/>), what a stopping process asks of its replicas, and a prompt configuration read, as host calls. Declares no state.</summary>
public sealed partial class ReplicaHost
{
    /// <summary>
    /// Hands this replica's leadership to an in-sync follower (<paramref name="target"/>, or the one with the longest durable
    /// log): appends are refused (<see cref="NotLeaderException"/>, nothing appended) from now on; completes once the store
    /// names the follower leader of the next epoch and this replica stepped down, or once the hand-over could not start or
    /// gave up (this replica then leads on), or at <paramref name="timeout"/>.
    /// </summary>
    /// <returns>The replica now leading the partition, or null when the leadership did not move.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ReplicaId?> HandOverAsync(ReplicaId? target, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var chosen = await OnLoopAsync(() => StartHandOver(target) ? _replica!.HandingOverTo : null, cancellationToken).ConfigureAwait(false);
        if (chosen is not { } successor)
        {
            return null;
        }

        var deadline = _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);
        while (_time.GetTimestamp() < deadline)
        {
            var state = await OnLoopAsync<(ReplicaRole Role, ReplicaId? HandingOver)?>(() => (_replica!.Role, _replica.HandingOverTo), cancellationToken).ConfigureAwait(false);
            if (state is not { } now || (now.Role == ReplicaRole.Leader && now.HandingOver is null))
            {
                // The host stopped, or the hand-over gave up (this replica leads on).
                return null;
            }

            if (now.Role != ReplicaRole.Leader)
            {
                return successor;
            }

            await Task.Delay(_options.HeartbeatInterval / 5, _time, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>
    /// Like <see cref="HandOverAsync"/>, but persistent within <paramref name="timeout"/>: while this replica still leads,
    /// a hand-over that could not start (no in-sync follower yet, a configuration write of the leader still unresolved) or
    /// gave up (its target did not catch up within <see cref="Options.ReplicaOptions.LeaderTimeout"/>) is started again,
    /// every fifth of a heartbeat interval. For a stopping process, whose leaderships should move rather than wait for
    /// the followers' timeout; appends are refused during each attempt, served between them.
    /// </summary>
    /// <returns>The replica leading the partition once this one stepped down (the store's leader as this replica knows it),
    /// or null when this replica still leads at <paramref name="timeout"/>, never led, or its host stopped.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ReplicaId?> HandOverWithinAsync(ReplicaId? target, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);
        ReplicaId? started = null;
        while (true)
        {
            var state = await OnLoopAsync<(ReplicaRole Role, ReplicaId? HandingOver, ReplicaId? Leader)?>(
                () =>
                {
                    if (_replica!.Role == ReplicaRole.Leader && _replica.HandingOverTo is null)
                    {
                        StartHandOver(target);
                    }

                    return (_replica.Role, _replica.HandingOverTo, _replica.Leader);
                },
                cancellationToken).ConfigureAwait(false);
            if (state is not { } now)
            {
                return null;
            }

            if (now.Role != ReplicaRole.Leader)
            {
                // The leader this replica knows once it stepped down (it may still name itself until it reads the new row).
                return started is null ? null : now.Leader is { } leader && leader != Id ? leader : started;
            }

            started = now.HandingOver ?? started;
            if (_time.GetTimestamp() >= deadline)
            {
                return null;
            }

            await Task.Delay(_options.HeartbeatInterval / 5, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The replica stops standing for leadership (<see cref="Replica.Retire"/>): for a silo that is stopping, before it
    /// hands its leaderships over, so that none of its replicas is elected again while it stops.
    /// </summary>
    public void Retire() => Post(() => _replica!.Retire());

    /// <summary>
    /// The replica, whenever it leads, no longer removes a replica from the in-sync set (<see cref="Replica.FreezeInSyncSet"/>):
    /// for a process that is stopping without having handed this replica's leadership over, whose own links close before
    /// the replica stops. The row then stays as a crash would leave it, and an in-sync follower can take over. Takes effect
    /// on the driver loop, after the work queued before it.
    /// </summary>
    public void FreezeInSyncSet() => Post(() => _replica!.FreezeInSyncSet());

    /// <summary>Asks the replica to read its configuration now rather than at its next poll (a caller saw a newer row).</summary>
    public void RefreshConfiguration() => Post(() => _replica!.RefreshConfiguration());

    /// <summary>Starts a hand-over (<see cref="Replica.HandOver"/>) and counts it when it started; on the driver loop.</summary>
    private bool StartHandOver(ReplicaId? target)
    {
        if (!_replica!.HandOver(target))
        {
            return false;
        }

        _counting.HandOverStarted();
        return true;
    }

    /// <summary>Runs <paramref name="read"/> on the driver loop; default when the loop ended before running it.</summary>
    private async Task<T?> OnLoopAsync<T>(Func<T> read, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<T?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Post(() => answer.TrySetResult(read())))
        {
            return default;
        }

        return await Task.WhenAny(answer.Task, _loopEnded.Task).WaitAsync(cancellationToken).ConfigureAwait(false) == answer.Task
            ? await answer.Task.ConfigureAwait(false)
            : default;
    }
}
