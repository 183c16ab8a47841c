namespace Actors.Wal;

/// <summary>
/// A change-feed reader's retained position (<see cref="WriteAheadLog.RetainChanges"/>): while it is registered, space
/// management deletes and compacts no segment holding a change after <see cref="Position"/>, so the reader never meets a
/// <see cref="ChangeFeedGapException"/> caused by reclamation. Move it forward with <see cref="Advance"/> once changes are
/// handled (and stored by the reader); dispose it when the reader goes away for good (a registration that is not disposed
/// survives restarts).
/// </summary>
/// <remarks>
/// <para><b>Bounded.</b> A reader that holds more than <see cref="WriteAheadLogOptions.MaxChangeFeedRetainedBytes"/> of
/// sealed segments (its position's segment and every later one) is dropped at the next space-management pass, logged
/// and counted (<c>actors.wal.changefeed.readers_dropped</c>): a dead reader cannot fill the disk. A dropped retention
/// holds nothing; its <see cref="Advance"/> throws <see cref="ChangeFeedReaderDroppedException"/>.</para>
/// <para><b>Persisted.</b> Registrations are stored in the log directory (<c>changefeed.readers</c>): at registration
/// (durable before <see cref="WriteAheadLog.RetainChanges"/> returns), at disposal, at each space-management pass that
/// finds a position moved or a reader dropped, and at clean close. After a restart or a crash the log holds every
/// stored reader's segments from the moment it opens; the reader gets its registration back with
/// <see cref="WriteAheadLog.RetainChanges"/> under the same name. A stored position may be older than the reader's last
/// <see cref="Advance"/> (a crash between passes): the log then retains more, never less. A dropped reader is removed
/// from the file; the bound and its counter apply after a restart exactly as before. Erasure
/// (<see cref="IEventLog.DeleteEventsToAsync"/>) wins over retention: a segment holding erased data is compacted and
/// deleted whatever readers retain.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class ChangeFeedRetention : IDisposable
{
    private readonly Lock _sync = new();
    private readonly Action<ChangeFeedRetention> _release;
    private readonly string _directory;
    private ChangeFeedPosition _position;
    private ChangeFeedReaderDroppedException? _dropped;
    private int _disposed;

    internal ChangeFeedRetention(string readerName, ChangeFeedPosition position, string directory, Action<ChangeFeedRetention> release)
    {
        ReaderName = readerName;
        _position = position;
        _directory = directory;
        _release = release;
    }

    /// <summary>The reader's name (in logs and errors).</summary>
    public string ReaderName { get; }

    /// <summary>The position retained: changes after it are kept.</summary>
    public ChangeFeedPosition Position
    {
        get
        {
            lock (_sync)
            {
                return _position;
            }
        }
    }

    /// <summary>Whether the log dropped this retention (it held too much).</summary>
    public bool IsDropped => Volatile.Read(ref _dropped) is not null;

    /// <summary>
    /// The lowest segment id the retention holds (0: every segment, for a position without an address); null once
    /// dropped or disposed.
    /// </summary>
    internal uint? SegmentFloor
    {
        get
        {
            lock (_sync)
            {
                if (_dropped is not null || _disposed != 0)
                {
                    return null;
                }

                return _position.Address < 0 ? 0u : (uint)((ulong)_position.Address >> 32);
            }
        }
    }

    /// <summary>Moves the retained position to <paramref name="position"/> (a later one; an earlier one is ignored).</summary>
    /// <exception cref="ChangeFeedReaderDroppedException">The log dropped this retention.</exception>
    /// <exception cref="ObjectDisposedException">The retention was disposed.</exception>
    public void Advance(ChangeFeedPosition position)
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            if (_dropped is { } dropped)
            {
                throw dropped;
            }

            if (position.Lsn > _position.Lsn)
            {
                _position = position;
            }
        }
    }

    /// <summary>Stops retaining (the reader is gone); idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _release(this);
        }
    }

    /// <summary>Drops the retention (the bound was passed); returns the error its reader will see.</summary>
    internal ChangeFeedReaderDroppedException Drop(long heldBytes, long maxBytes)
    {
        lock (_sync)
        {
            return _dropped ??= new ChangeFeedReaderDroppedException(_directory, ReaderName, _position, heldBytes, maxBytes);
        }
    }
}
