namespace Actors.Wal.Writing;

/// <summary>
/// The batching rule of the group commit (after FASTER's LogCommitPolicy): how long the committer may wait for more
/// written requests before it fsyncs the ones waiting. Swappable for experiments and tests.
/// </summary>
internal interface ICommitPolicy
{
    /// <summary>
    /// How long to wait for more requests before syncing <paramref name="pending"/> of them (zero: sync now).
    /// <paramref name="expected"/> is how many requests are probably active: those the previous sync completed plus
    /// those that arrived while it ran (in a closed loop, their callers come back).
    /// </summary>
    TimeSpan Linger(int pending, int expected, TimeSpan fsyncLatency);
}

/// <summary>
/// The default policy: sync at once when every probably-active request is waiting (so one writer never waits), else
/// wait for the stragglers up to <c>MaxBatchDelay</c>, or, when that is zero, up to half an fsync (capped at 500 µs):
/// the whole population is then covered by one fsync instead of alternating half-groups.
/// </summary>
internal sealed class AdaptiveCommitPolicy(TimeSpan maxBatchDelay) : ICommitPolicy
{
    private static readonly TimeSpan Cap = TimeSpan.FromMicroseconds(500);

    /// <inheritdoc />
    public TimeSpan Linger(int pending, int expected, TimeSpan fsyncLatency)
    {
        if (pending >= expected)
        {
            return TimeSpan.Zero;
        }

        if (maxBatchDelay > TimeSpan.Zero)
        {
            return maxBatchDelay;
        }

        var half = fsyncLatency / 2;
        return half < Cap ? half : Cap;
    }
}
