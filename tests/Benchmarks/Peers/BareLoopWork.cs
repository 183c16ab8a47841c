using Actors.Benchmarks.Infrastructure;

namespace Actors.Benchmarks.Peers;

/// <summary>
/// CPU work the bare group-commit loop adds per append (<c>--bare-caller-work</c>, <c>--bare-serial-work</c>,
/// <c>--bare-commit-work</c>, nanoseconds of <see cref="CalibratedWork"/>): on the caller's thread before it enqueues
/// (in parallel with the other callers), on the caller's thread inside the queue's lock (one caller at a time, as the
/// engine's drain frames), and on the commit thread after the fsync, before the append's waiter is completed (as the
/// engine's committer publishes). All zero: the loop as it is. The nanoseconds are calibrated on an idle core; on a loaded
/// one the same steps take longer. Work inside the lock also delays the commit thread's take of the next batch (it needs
/// the same lock), and the commit thread's work for earlier waiters counts in a later waiter's wake-up time (each waiter's
/// completion time stays the end of the fsync). <see cref="ExtraBytesPerCommit"/> (<c>--bare-extra-bytes</c>) adds disk
/// work instead: bytes written with every commit's appends, in the same write and fdatasync.
/// </summary>
internal sealed record BareLoopWork(int CallerNanoseconds, int SerialNanoseconds, int CommitNanoseconds, int ExtraBytesPerCommit = 0)
{
    /// <summary>No added work.</summary>
    public static BareLoopWork None { get; } = new(0, 0, 0);

    /// <summary>True when any work is added.</summary>
    public bool Any => CallerNanoseconds > 0 || SerialNanoseconds > 0 || CommitNanoseconds > 0 || ExtraBytesPerCommit > 0;

    /// <summary>One line for the run's output: each place's nanoseconds and calibrated steps (the first call calibrates, ~40 ms).</summary>
    public string Describe() =>
        $"bare loop added work per append: caller {CallerNanoseconds} ns ({CalibratedWork.StepsFor(CallerNanoseconds)} steps), " +
        $"serial {SerialNanoseconds} ns ({CalibratedWork.StepsFor(SerialNanoseconds)} steps), " +
        $"commit {CommitNanoseconds} ns ({CalibratedWork.StepsFor(CommitNanoseconds)} steps), " +
        $"{ExtraBytesPerCommit} extra bytes per commit";
}
