namespace Actors.Wal.Entries.Journal;

/// <summary>
/// The group commit (methods only; the state is declared in EntryJournal.cs): a log waits for its records to become
/// durable (<see cref="WaitDurableAsync"/>); the sync thread wakes, writes the buffer, fsyncs the active segment outside
/// the lock (records appended meanwhile go in the next fsync) and completes every wait that fsync covered. An fsync
/// failure fails the journal and faults every wait; it is never retried.
/// </summary>
public sealed partial class EntryJournal
{
    /// <summary>Completes when every record up to <paramref name="position"/> is durable; faults with <see cref="LogFailedException"/> when the journal fails first.</summary>
    internal Task WaitDurableAsync(long position)
    {
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

            var wait = _waiters.Add(position);
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
