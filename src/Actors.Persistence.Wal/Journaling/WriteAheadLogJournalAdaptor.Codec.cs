using Actors.Journaling;
using Actors.Persistence.Wal.Diagnostics;
using Actors.Persistence.Wal.Format;
using Actors.Wal;

namespace Actors.Persistence.Wal;

/// <content>Encoding events and decoding events and checkpoints.</content>
internal sealed partial class WriteAheadLogJournalAdaptor<TState, TEvent>
{
    private byte[] Encode(TEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        EncodedEvent encoded;
        try
        {
            encoded = _store.Codec.EncodeEvent(@event);
        }
        catch (Exception ex)
        {
            EventEncodingException encoding = EncodingFailures.ToEncodingException(@event.GetType(), ex, $"Codec '{_store.Codec.GetType().Name}'");
            throw Rejected($"Grain '{_grainId}' raised an event that write-ahead-log store '{_store.Name}' cannot store: {encoding.Message}", encoding);
        }

        if (EventTypeNames.Validate(encoded.TypeName ?? "") is { } problem)
        {
            throw Rejected($"Grain '{_grainId}' raised an event of type '{@event.GetType().FullName}' whose stored type name from codec '{_store.Codec.GetType().Name}' is invalid: {problem} Nothing was stored.");
        }

        byte[] record = GrainRecordCompression.ToArray(new GrainRecord(GrainRecordKind.JournalEvent, "", encoded.TypeName!, encoded.Payload), _store.Options.Compression);
        if (record.Length > _store.Options.MaxEventSizeBytes)
        {
            throw Rejected(
                $"Grain '{_grainId}' raised event '{encoded.TypeName}' of {record.Length} bytes; write-ahead-log store '{_store.Name}' allows at most {_store.Options.MaxEventSizeBytes} ({nameof(WriteAheadLogStoreOptions.MaxEventSizeBytes)}). Nothing was stored.");
        }

        return record;
    }

    /// <summary>The grain checkpoint envelope of the confirmed state at <paramref name="version"/>.</summary>
    /// <exception cref="EventEncodingException">The codec threw (wrapped with the state type and, when known, the member).</exception>
    private byte[] EncodeCheckpoint(TState state, long version)
    {
        try
        {
            ReadOnlyMemory<byte> payload = _store.Codec.EncodeState(state, typeof(TState));
            return GrainCheckpoint.ToArray([new CheckpointEntry(GrainRecordKind.JournalEvent, "", version, payload)], _store.Options.Compression);
        }
        catch (Exception ex)
        {
            throw EncodingFailures.ToEncodingException(typeof(TState), ex, $"Codec '{_store.Codec.GetType().Name}'");
        }
    }

    private EventRejectedException Rejected(string message, Exception? inner = null)
    {
        PersistenceInstruments.Rejected(_store.Name);
        return new EventRejectedException(message, inner);
    }

    private TState DecodeCheckpoint(StoredCheckpoint checkpoint)
    {
        if (!GrainCheckpoint.TryRead(checkpoint.State, out var entries, out string error))
        {
            throw new GrainStorageLoadException(_grainId, _store.Name, checkpoint.Version, $"the checkpoint is not a grain checkpoint: {error}");
        }

        if (entries.Count != 1 || entries[0].Kind != GrainRecordKind.JournalEvent)
        {
            throw MixedStream(checkpoint.Version);
        }

        try
        {
            return _store.Codec.DecodeState(entries[0].Payload, typeof(TState), new CodecContext(_streamId, checkpoint.Version)) as TState
                ?? throw new GrainStorageLoadException(_grainId, _store.Name, checkpoint.Version, "the checkpoint's state decodes to null.");
        }
        catch (EventDecodingException ex)
        {
            throw new GrainStorageLoadException(_grainId, _store.Name, checkpoint.Version, ex.Message, ex);
        }
    }

    private TEvent DecodeEvent(StoredEvent stored)
    {
        if (!GrainRecord.TryRead(stored.Payload, out GrainRecord record, out string error))
        {
            throw new GrainStorageLoadException(_grainId, _store.Name, stored.Version, $"the record is not a grain record: {error}");
        }

        if (record.Kind != GrainRecordKind.JournalEvent)
        {
            throw MixedStream(stored.Version);
        }

        try
        {
            return (TEvent)_store.Codec.DecodeEvent(record.TypeName, record.Payload, typeof(TEvent), new CodecContext(_streamId, stored.Version));
        }
        catch (Exception ex) when (ex is UnknownEventTypeException or EventDecodingException)
        {
            throw new GrainStorageLoadException(_grainId, _store.Name, stored.Version, ex.Message, ex);
        }
    }

    private GrainStorageLoadException MixedStream(long version) => new(
        _grainId,
        _store.Name,
        version,
        "the stream holds persistent-state records; a journaled grain cannot keep [PersistentState] states in the same write-ahead-log store (give them another store).");
}
