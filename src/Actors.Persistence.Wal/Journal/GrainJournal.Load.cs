using Actors.Persistence.Wal.Format;
using Actors.Wal;

namespace Actors.Persistence.Wal;

/// <content>Activation: load the latest checkpoint and replay the events after it; read confirmed events.</content>
public sealed partial class GrainJournal<TState, TEvent>
{
    /// <summary>
    /// Loads the grain's latest checkpoint and replays the events after it. Call once, before the grain's own
    /// activation code runs.
    /// </summary>
    /// <exception cref="GrainStorageLoadException">
    /// The stream cannot be read, or a record cannot be decoded or applied (for example an unknown event type). The
    /// message names the grain, the store, the version and the cause; nothing stored was modified.
    /// </exception>
    public async Task ActivateAsync(CancellationToken cancellationToken = default)
    {
        IEventLog log = await _store.GetLogAsync(cancellationToken);
        StreamReadResult read;
        try
        {
            read = await log.ReadStreamAsync(StreamId, ReadBound.Latest, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new GrainStorageLoadException(GrainId, _store.Name, 0, $"reading the stream failed: {ex.Message}", ex);
        }

        TState state = _createState();
        long version = 0;
        if (read.Checkpoint is { } checkpoint)
        {
            state = DecodeCheckpoint(checkpoint);
            version = checkpoint.Version;
        }

        long bytes = 0;
        foreach (StoredEvent stored in read.Events)
        {
            TEvent @event = DecodeEvent(stored);
            try
            {
                _apply(state, @event);
            }
            catch (Exception ex)
            {
                throw new GrainStorageLoadException(GrainId, _store.Name, stored.Version, $"applying the event failed: {ex.Message}", ex);
            }

            version = stored.Version;
            bytes += stored.Payload.Length;
        }

        if (read.IsDeleted)
        {
            version = read.Version;
        }

        _confirmed = state;
        _tentative = null;
        _tentativeValid = true;
        _unconfirmed.Clear();
        ConfirmedVersion = version;
        CheckpointVersion = read.Checkpoint?.Version ?? 0;
        _eventsSinceCheckpoint = read.Events.Count;
        _bytesSinceCheckpoint = bytes;
    }

    /// <summary>Reads the confirmed events with versions <paramref name="fromVersion"/> to <paramref name="toVersion"/> (both inclusive, 1-based).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside 1..<see cref="ConfirmedVersion"/> or reversed.</exception>
    /// <exception cref="EventsReclaimedException">Some events are covered by a checkpoint and were already reclaimed.</exception>
    /// <exception cref="GrainStorageLoadException">A stored event cannot be decoded.</exception>
    public async Task<IReadOnlyList<TEvent>> ReadConfirmedEventsAsync(long fromVersion, long toVersion, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromVersion, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(toVersion, ConfirmedVersion);
        if (toVersion < fromVersion)
        {
            return [];
        }

        IEventLog log = await _store.GetLogAsync(cancellationToken);
        IReadOnlyList<StoredEvent> stored = await log.ReadEventsAsync(StreamId, fromVersion, toVersion, cancellationToken);
        var events = new List<TEvent>(stored.Count);
        foreach (StoredEvent e in stored)
        {
            events.Add(DecodeEvent(e));
        }

        return events;
    }

    private TState DecodeCheckpoint(StoredCheckpoint checkpoint)
    {
        if (!GrainCheckpoint.TryRead(checkpoint.State, out var entries, out string error))
        {
            throw new GrainStorageLoadException(GrainId, _store.Name, checkpoint.Version, $"the checkpoint is not a grain checkpoint: {error}");
        }

        CheckpointEntry? journal = null;
        foreach (CheckpointEntry entry in entries)
        {
            if (entry.Kind == GrainRecordKind.JournalEvent)
            {
                journal = entry;
            }
            else
            {
                throw MixedStream(checkpoint.Version);
            }
        }

        if (journal is null)
        {
            throw new GrainStorageLoadException(GrainId, _store.Name, checkpoint.Version, "the checkpoint holds no journal state.");
        }

        try
        {
            return _store.Codec.DecodeState(journal.Value.Payload, typeof(TState), new CodecContext(StreamId, checkpoint.Version)) as TState
                ?? throw new GrainStorageLoadException(GrainId, _store.Name, checkpoint.Version, "the checkpoint's state decodes to null.");
        }
        catch (EventDecodingException ex)
        {
            throw new GrainStorageLoadException(GrainId, _store.Name, checkpoint.Version, ex.Message, ex);
        }
    }

    private TEvent DecodeEvent(StoredEvent stored)
    {
        if (!GrainRecord.TryRead(stored.Payload, out GrainRecord record, out string error))
        {
            throw new GrainStorageLoadException(GrainId, _store.Name, stored.Version, $"the record is not a grain record: {error}");
        }

        if (record.Kind != GrainRecordKind.JournalEvent)
        {
            throw MixedStream(stored.Version);
        }

        try
        {
            return (TEvent)_store.Codec.DecodeEvent(record.TypeName, record.Payload, typeof(TEvent), new CodecContext(StreamId, stored.Version));
        }
        catch (Exception ex) when (ex is UnknownEventTypeException or EventDecodingException)
        {
            throw new GrainStorageLoadException(GrainId, _store.Name, stored.Version, ex.Message, ex);
        }
    }

    private GrainStorageLoadException MixedStream(long version) => new(
        GrainId,
        _store.Name,
        version,
        "the stream holds persistent-state records; a journaled grain cannot share its write-ahead-log store with [PersistentState] states of the same grain (use another store for them).");
}
