using Actors.Wal.Segments;

namespace Actors.Wal.ChangeFeed;

/// <summary>
/// The retained change-feed readers of one log: which segments they hold back from space management, the bound that
/// drops a reader holding too much, and their persistence (<see cref="RetainedReadersFile"/>). Thread-safe; the
/// maintenance thread asks <see cref="HeldFloor"/> once per pass.
/// </summary>
/// <remarks>
/// A reader is identified by its name: registering a name that is already registered (restored from the file after a
/// restart, or registered earlier in this process) returns that registration.
/// </remarks>
internal sealed class ChangeFeedRetentions(string directory, long maxRetainedBytes)
{
    private readonly Lock _lock = new();
    private readonly Lock _persistLock = new();
    private readonly List<ChangeFeedRetention> _readers = [];
    private (string Name, ChangeFeedPosition Position)[] _persisted = [];
    private long _dropped;
    private long _heldBytes;

    /// <summary>
    /// Writes the registered readers durably (set by a writable log once it is open; null: nothing is persisted, as in
    /// a read-only log). I/O errors propagate.
    /// </summary>
    public Action<IReadOnlyList<(string Name, ChangeFeedPosition Position)>>? Persist { get; set; }

    /// <summary>Readers dropped for passing the bound since the log opened.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The sealed-segment bytes the readers held back at the latest pass.</summary>
    public long HeldBytes => Interlocked.Read(ref _heldBytes);

    /// <summary>Registers the readers stored before the restart at their stored positions (nothing is written).</summary>
    public void Restore(IReadOnlyList<(string Name, ChangeFeedPosition Position)> readers)
    {
        lock (_lock)
        {
            foreach ((string name, ChangeFeedPosition position) in readers)
            {
                if (!_readers.Any(r => r.ReaderName == name))
                {
                    _readers.Add(new ChangeFeedRetention(name, position, directory, Remove));
                }
            }
        }

        lock (_persistLock)
        {
            _persisted = [.. readers];
        }
    }

    /// <summary>
    /// Registers a reader at <paramref name="position"/>, or returns the live registration of that name (moved to
    /// <paramref name="position"/> if that is later); durable before it returns when the log persists readers.
    /// </summary>
    /// <exception cref="IOException">The registration could not be written (it holds segments in this process only until written by a later pass).</exception>
    public ChangeFeedRetention Add(string readerName, ChangeFeedPosition position)
    {
        ChangeFeedRetention retention;
        lock (_lock)
        {
            retention = _readers.FirstOrDefault(r => r.ReaderName == readerName && !r.IsDropped)
                ?? new ChangeFeedRetention(readerName, position, directory, Remove);
            if (!_readers.Contains(retention))
            {
                _readers.Add(retention);
            }
        }

        retention.Advance(position);
        PersistIfChanged();
        return retention;
    }

    /// <summary>
    /// Drops every reader holding more than the bound of <paramref name="sealedSegments"/> (its floor segment and every
    /// later sealed one), then returns the lowest segment id the others hold, or null when none holds anything. Writes
    /// the readers file when a position moved or a reader was dropped since it was last written.
    /// </summary>
    /// <param name="sealedSegments">The log's sealed segments.</param>
    /// <param name="onDropped">Told of each reader dropped now (to log it).</param>
    public uint? HeldFloor(IReadOnlyList<Segment> sealedSegments, Action<ChangeFeedReaderDroppedException> onDropped)
    {
        ChangeFeedRetention[] readers;
        lock (_lock)
        {
            readers = [.. _readers];
        }

        uint? floor = null;
        long held = 0;
        foreach (ChangeFeedRetention reader in readers)
        {
            if (reader.SegmentFloor is not { } segment)
            {
                continue;
            }

            long bytes = sealedSegments.Where(s => s.Id >= segment).Sum(s => s.WrittenOffset);
            if (bytes > maxRetainedBytes)
            {
                Interlocked.Increment(ref _dropped);
                onDropped(reader.Drop(bytes, maxRetainedBytes));
                Remove(reader);
                continue;
            }

            held = Math.Max(held, bytes);
            floor = floor is { } lowest ? Math.Min(lowest, segment) : segment;
        }

        Interlocked.Exchange(ref _heldBytes, held);
        try
        {
            PersistIfChanged();
        }
        catch (IOException)
        {
            // Written at the next change or pass; meanwhile the file holds older positions: more is retained, never less.
        }

        return floor;
    }

    /// <summary>Writes the readers file if the registered readers or their positions differ from what it holds.</summary>
    /// <exception cref="IOException">The write failed (retried at the next change or pass).</exception>
    public void PersistIfChanged()
    {
        if (Persist is not { } persist)
        {
            return;
        }

        lock (_persistLock)
        {
            (string Name, ChangeFeedPosition Position)[] current;
            lock (_lock)
            {
                current = [.. _readers.Where(r => !r.IsDropped).Select(r => (r.ReaderName, r.Position))];
            }

            if (current.SequenceEqual(_persisted))
            {
                return;
            }

            persist(current);
            _persisted = current;
        }
    }

    private void Remove(ChangeFeedRetention retention)
    {
        lock (_lock)
        {
            if (!_readers.Remove(retention))
            {
                return;
            }
        }

        try
        {
            PersistIfChanged();
        }
        catch (IOException)
        {
            // Disposal must not throw: the reader stays in the file until the next pass writes it, holding more, never less.
        }
    }
}
