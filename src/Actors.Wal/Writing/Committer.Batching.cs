using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Actors.Wal.Writing;

// How the committer gathers a commit's groups: the ones that arrived during the previous commit, what was framed since,
// and lingering for the requests probably on their way (methods only: the state is in Committer.cs).
internal sealed partial class Committer
{
    /// <summary>
    /// Closes and takes what was framed during this commit's write and fsync (the next commit), before its publish wakes
    /// ~128 callers whose framing would hold the drain: the next cycle then starts without waiting for a group, and it
    /// knows how many requests arrived while this commit ran (none of them a caller this commit completes).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TakeArrivedDuringCommit()
    {
        Source?.RequestGroup();
        var taken = _groups.TakeAll(out bool closed);
        for (var group = taken; group is not null;)
        {
            var next = group.Next;
            group.Next = null;
            _arrivedDuringCommit.Add(group);
            group = next;
        }

        _closedSeen |= closed;
    }

    /// <summary>Moves the groups <see cref="TakeArrivedDuringCommit"/> took into the pending groups; returns their request count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int MoveArrivedDuringCommit()
    {
        int requests = 0;
        foreach (var group in _arrivedDuringCommit)
        {
            _pending.Add(group);
            requests += group.Requests.Count;
        }

        _arrivedDuringCommit.Clear();
        return requests;
    }

    /// <summary>Adds a taken chain to the pending groups; returns its request count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Append(CommitGroup? chain)
    {
        int requests = 0;
        for (var group = chain; group is not null;)
        {
            var next = group.Next;
            group.Next = null;
            _pending.Add(group);
            requests += group.Requests.Count;
            group = next;
        }

        return requests;
    }

    /// <summary>
    /// Under <see cref="SyncPolicy.Always"/>, waits briefly for the requests that are probably on their way (the policy
    /// decides how long, and is asked again as they arrive), so one fsync covers them all.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Linger(int expected)
    {
        if (_options.SyncPolicy != SyncPolicy.Always || _health.IsAbandoned)
        {
            return;
        }

        int pending = 0;
        foreach (var group in _pending)
        {
            if (group.ForceSync || group.Demote)
            {
                return;
            }

            pending += group.Requests.Count;
        }

        var wait = _policy.Linger(pending, expected, _fsyncLatency);
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        long deadline = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        var spinner = default(SpinWait);
        while (Stopwatch.GetTimestamp() < deadline && !_health.IsAbandoned)
        {
            Source?.RequestGroup();
            var more = _groups.TakeAll(out bool closed);
            if (more is not null)
            {
                pending += Append(more);
                if (_policy.Linger(pending, expected, _fsyncLatency) <= TimeSpan.Zero)
                {
                    return; // everyone expected is here, or enough to sync
                }

                continue;
            }

            if (closed)
            {
                break;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
