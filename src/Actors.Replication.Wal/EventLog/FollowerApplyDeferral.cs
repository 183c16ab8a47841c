namespace Actors.Replication.Wal.EventLog;

/// <summary>
/// The wait of a following replica's <see cref="CommittedEntryApplier"/> before it applies a burst
/// (<see cref="CommittedEntryApplier.FollowerApplyDelay"/>): up to the delay, cut short as soon as anything waits for the
/// applier. Owns the wake-up signal and the count of waiters.
/// </summary>
/// <remarks>
/// <para>Why no waiter can be kept waiting for the delay: a waiter first announces itself (<see cref="Hold"/>, or its entry
/// in the applier's table of proposals, then <see cref="Wake"/>), then looks whether the applier defers; the applier first
/// marks that it defers, then takes the wake-up signal, then looks for waiters (<see cref="DeferAsync"/>). Each side's
/// mark is a full fence before its look, so at least one of them sees the other: either the applier sees the waiter and
/// does not defer, or the waiter sees the deferral and completes the signal the applier took (or a later one, taken after
/// the waiter's announcement, which the applier then sees).</para>
/// <para>Thread-safe: <see cref="Hold"/>, <see cref="Release"/> and <see cref="Wake"/> from any thread; the rest from the
/// applier's loop only.</para>
/// </remarks>
internal sealed class FollowerApplyDeferral(TimeSpan delay)
{
    private TaskCompletionSource _wake = NewSignal();
    private int _deferring;
    private int _waiters;

    /// <summary>The longest deferral.</summary>
    public TimeSpan Delay => delay;

    /// <summary>A caller waits for the applier (until <see cref="Release"/>): a deferral under way ends now and none begins.</summary>
    public void Hold()
    {
        Interlocked.Increment(ref _waiters);
        Wake();
    }

    /// <summary>Ends a <see cref="Hold"/>.</summary>
    public void Release() => Interlocked.Decrement(ref _waiters);

    /// <summary>Ends a deferral under way (a caller announced that it waits, e.g. registered a proposal).</summary>
    public void Wake()
    {
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _deferring) != 0)
        {
            Interlocked.Exchange(ref _wake, NewSignal()).TrySetResult();
        }
    }

    /// <summary>
    /// Waits up to <see cref="Delay"/> unless <paramref name="mustApply"/> says the applier must apply now (it leads, a
    /// proposal waits) or a caller holds it; returns early when a caller announces itself or <paramref name="stopping"/> is
    /// cancelled.
    /// </summary>
    public async Task DeferAsync(Func<bool> mustApply, CancellationToken stopping)
    {
        Interlocked.Exchange(ref _deferring, 1);
        try
        {
            var wake = Volatile.Read(ref _wake);
            if (Volatile.Read(ref _waiters) != 0 || mustApply())
            {
                return;
            }

            // Cut short, the delay's timer runs out on its own (at most the delay later).
            await Task.WhenAny(wake.Task, Task.Delay(delay, stopping)).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _deferring, 0);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
