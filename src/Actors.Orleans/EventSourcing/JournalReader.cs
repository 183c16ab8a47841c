using Actors.Orleans.Codecs;
using Actors.Orleans.Format;
using Actors.Orleans.Log;
using Actors.Orleans.Storage;
using Actors.Wal;

namespace Actors.Orleans.EventSourcing;

/// <summary>
/// The reads of a journaled grain's stream that turn records into the grain's values: what a load starts from (refusing a
/// journal stored under another provider), the view a checkpoint holds, and a range of events by grain version. Errors are
/// the provider's typed ones, naming the grain's stream and version.
/// </summary>
/// <remarks>Holds no state of its own beyond what it was built with.</remarks>
internal sealed class JournalReader<TView, TEntry>
    where TView : class, new()
    where TEntry : class
{
    private readonly JournalSettings _settings;
    private readonly JournalEventCodec<TEntry> _codec;

    public JournalReader(JournalSettings settings, JournalEventCodec<TEntry> codec)
    {
        _settings = settings;
        _codec = codec;
    }

    /// <summary>The newest checkpoint and the events after it.</summary>
    /// <exception cref="GrainDataUnderAnotherProviderException">Nothing is stored here (never written, or only a cleared
    /// journal's reset) and the grain's events are under another provider.</exception>
    public async Task<StreamReadResult> ReadForLoadAsync()
    {
        StreamReadResult stream;
        string? storedElsewhere = null;
        try
        {
            IEventLog log = await _settings.GetLogAsync().ConfigureAwait(false);
            stream = await log.ReadStreamAsync(_settings.StreamId).ConfigureAwait(false);
            // Nothing stored (never written, or only a cleared journal's reset): the grain's events may be under another provider.
            if (stream.Version == 0
                || (stream.Events.Count == 0 && stream.Checkpoint is { } reset
                    && ValueCodecs.Parse(reset.State, _settings.What, _settings.StreamId, reset.Version).Kind == LogValueKind.JournalReset))
            {
                storedElsewhere = await OtherProviderStreams.FindAsync(
                    log, _settings.Log.ProviderPrefixes, GrainStreamNames.JournalPrefix(_settings.Provider), _settings.StreamId, other => OtherProviderStreams.JournalHoldsDataAsync(log, other, _settings.What)).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (LogErrors.Translate(ex, $"Loading {_settings.What}", _settings.StreamId, reading: true) is { } translated)
        {
            throw translated;
        }

        if (storedElsewhere is not null)
        {
            throw new GrainDataUnderAnotherProviderException(_settings.What, _settings.StreamId, storedElsewhere);
        }

        return stream;
    }

    /// <summary>
    /// The view <paramref name="checkpoint"/> holds and the stream version where the grain's version 0 begins: a snapshot's
    /// state, or a cleared journal's reset (<paramref name="initialState"/>, from the reset's version on).
    /// </summary>
    /// <exception cref="ValueDeserializationException">The checkpoint is neither, or cannot be decoded as <typeparamref name="TView"/>.</exception>
    public (TView View, long Origin) DecodeCheckpoint(StoredCheckpoint checkpoint, Func<TView> initialState)
    {
        LogValueRecord record = ValueCodecs.Parse(checkpoint.State, _settings.What, _settings.StreamId, checkpoint.Version);
        return record.Kind switch
        {
            LogValueKind.Snapshot => (_settings.Codecs.Decode<TView>(record, $"the checkpoint of {_settings.What}", _settings.StreamId, checkpoint.Version), record.Origin ?? 0),
            LogValueKind.JournalReset => (initialState(), record.Origin ?? checkpoint.Version),
            _ => throw new ValueDeserializationException(_settings.What, _settings.StreamId, checkpoint.Version, typeof(TView).FullName ?? typeof(TView).Name, record.Codec, $"the checkpoint holds a record of kind {record.Kind}, not a snapshot", null),
        };
    }

    /// <summary>
    /// The events of grain versions <paramref name="fromVersion"/> + 1 to <paramref name="toVersion"/>, the grain's version 0
    /// being stream version <paramref name="origin"/>.
    /// </summary>
    /// <exception cref="EventHistoryReclaimedException">The log no longer holds the first of them.</exception>
    public async Task<IReadOnlyList<TEntry>> ReadEventsAsync(long origin, int fromVersion, int toVersion)
    {
        IReadOnlyList<StoredEvent> stored;
        try
        {
            stored = await (await _settings.GetLogAsync().ConfigureAwait(false)).ReadEventsAsync(_settings.StreamId, origin + fromVersion + 1, origin + toVersion).ConfigureAwait(false);
        }
        catch (EventsReclaimedException reclaimed)
        {
            throw new EventHistoryReclaimedException($"grain {_settings.GrainId}", _settings.StreamId, fromVersion, reclaimed.OldestAvailableVersion - origin, _settings.History, reclaimed);
        }
        catch (Exception ex) when (LogErrors.Translate(ex, $"Reading {_settings.What}", _settings.StreamId, reading: true) is { } translated)
        {
            throw translated;
        }

        var entries = new TEntry[stored.Count];
        for (int i = 0; i < stored.Count; i++)
        {
            entries[i] = _codec.Decode(stored[i]);
        }

        return entries;
    }
}
