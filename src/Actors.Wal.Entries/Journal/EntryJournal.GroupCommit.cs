namespace Actors.Wal.Entries.Journal;

/// <summary>
/// The group commit (methods only; the state is declared in EntryJournal.cs): a log waits for its records to become
/// durable (<see cref="WaitDurableAsync(long)"/>); the sync thread wakes, writes the buffer, fsyncs the active segment outside
/// the lock (records appended meanwhile go in the next fsync) and completes every wait that fsync covered. An fsync
/// failure fails the journal and faults every wait; it is never retried.
/// </summary>
public sealed partial class EntryJournal
{
    /// <summary>Completes when every record up to <paramref name="position"/> is durable; faults with <see cref="LogFailedException"/> when the journal fails first.</summary>
    internal Task WaitDurableAsync(long position) => WaitDurableAsync(position, null, null);

    /// <summary>
    /// As <see cref="WaitDurableAsync(long)"/>; <paramref name="whenComplete"/>(<paramref name="state"/>) is called once the
    /// returned task has completed or faulted: on the caller's thread before this returns when it is so already, otherwise
    /// on the thread that completes it (the sync thread, usually) under the journal's lock, so it must only hand the news
    /// on (never call the journal or one of its logs, never block). It saves the thread-pool hop of a task continuation.
    /// </summary>
    internal Task WaitDurableAsync(long position, Action<object?>? whenComplete, object? state)
    {
        var wait = WaitDurableLocked(position, whenComplete, state, out var pending);
        if (!pending)
        {
            whenComplete?.Invoke(state);
        }

        return wait;
    }

    private Task WaitDurableLocked(long position, Action<object?>? whenComplete, object? state, out bool pending)
    {
        pending = false;
        lock (_lock)
        {
            if (_usability.Failure is { } failure)
            {
                return Task.FromException(failure);
            }

            _usability.ThrowIfDisposed();
            if (position <= _waiters.DurablePosition)
            {
                return Task.CompletedTask;
            }

            var wait = _waiters.Add(position, whenComplete, state);
            pending = true;
            _wake.Set();
            return wait;
        }
    }

    /// <summary>The group commit: waits until a log waits for durability, writes the buffer, fsyncs the active segment outside the lock, completes the waits it covered.</summary>
    private void RunSyncLoop()
    {
        while (true)
        {
            _wake.Wait();
            _wake.Reset();
            while (true)
            {
                JournalSegment segment;
                long target;
                lock (_lock)
                {
                    if (_usability.IsDisposed || _usability.Failure is not null)
                    {
                        return;
                    }

                    if (!_waiters.NeedsSync)
                    {
                        _waiters.CompleteThrough(_waiters.DurablePosition);
                        break;
                    }

                    try
                    {
                        WriteBufferLocked();
                    }
                    catch (LogFailedException)
                    {
                        return;
                    }

                    segment = _segments.Active;
                    target = segment.FirstPosition + segment.WrittenLength;
                    _syncing = segment;
                }

                Exception? failure = null;
                try
                {
                    segment.File.FlushData();
                }
                catch (Exception exception) when (exception is IOException or ObjectDisposedException)
                {
                    failure = exception;
                }

                lock (_lock)
                {
                    _syncing = null;
                    if (failure is not null)
                    {
                        if (!_usability.IsDisposed)
                        {
                            _usability.Fail("fsync", failure);
                        }

                        return;
                    }

                    Interlocked.Increment(ref _syncs);
                    _waiters.CompleteThrough(target);
                }
            }
        }
    }
}
