namespace Actors.Replication.Wal.EventLog;

/// <summary>
/// How far a <see cref="CommittedEntryApplier"/> applied: the LSN up to which every committed entry is applied to the local
/// log, and a signal that completes whenever it moves (or the applier stops or fails).
/// </summary>
/// <remarks>
/// A waiter reads <see cref="NextChange"/> before it looks at <see cref="Lsn"/>, so a move between the two completes the
/// task it holds. <see cref="Set"/> and <see cref="Signal"/> from the applier's loop; the rest from any thread.
/// </remarks>
internal sealed class AppliedProgress
{
    private volatile TaskCompletionSource _next = NewSignal();
    private long _lsn;

    /// <summary>Every committed entry up to here is applied.</summary>
    public long Lsn => Volatile.Read(ref _lsn);

    /// <summary>Completes at the next <see cref="Signal"/>.</summary>
    public Task NextChange => _next.Task;

    /// <summary>Moves the applied LSN to <paramref name="lsn"/> (waiters hear of it at the next <see cref="Signal"/>).</summary>
    public void Set(long lsn) => Volatile.Write(ref _lsn, lsn);

    /// <summary>Wakes every waiter (the applied LSN moved, or the applier stopped or failed).</summary>
    public void Signal() => Interlocked.Exchange(ref _next, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
