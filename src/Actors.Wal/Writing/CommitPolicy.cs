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
    /// those that arrived while it ran (in a closed loop, their callers come back). Asked again as requests arrive.
    /// </summary>
    TimeSpan Linger(int pending, int expected, TimeSpan fsyncLatency);
}

/// <summary>
/// The default policy: sync at once when every probably-active request is waiting (so one writer never waits) or when
/// <see cref="EnoughToSync"/> are, else wait for the stragglers up to <c>MaxBatchDelay</c>, or, when that is zero, up to
/// half an fsync (capped at 500 µs): a small population (16 writers) is then covered by one fsync instead of
/// alternating half-groups.
/// </summary>
/// <remarks>
/// Why a large group does not wait (measured in round 8 of the write-path work; the run logs are in git history before issue 64): with 256 writers the last stragglers come back through
/// the thread pool one continuation at a time, and waiting for them held every waiting caller for up to half an fsync per
/// cycle: the engine's commit cycle was 2.9 times the bare group-commit loop's for groups only 1.6 times larger. An
/// fsync already shared by 64 appends costs each of them little; the next group starts sooner instead.
/// </remarks>
internal sealed class AdaptiveCommitPolicy(TimeSpan maxBatchDelay) : ICommitPolicy
{
    /// <summary>Waiting requests that are synced at once under the adaptive linger (no <c>MaxBatchDelay</c>).</summary>
    public const int EnoughToSync = 64;

    /// <summary>The AppContext data (an integer) that overrides <see cref="EnoughToSync"/>, for side-by-side measurements.</summary>
    public const string EnoughToSyncSwitch = "Actors.Wal.EnoughToSync";

    private readonly int _enoughToSync = AppContext.GetData(EnoughToSyncSwitch) switch
    {
        int n when n > 0 => n,
        string text when int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 0 => n,
        _ => EnoughToSync,
    };

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

        if (pending >= _enoughToSync)
        {
            return TimeSpan.Zero;
        }

        var half = fsyncLatency / 2;
        return half < Cap ? half : Cap;
    }
}
