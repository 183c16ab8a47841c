using Actors.Orleans.Codecs;
using Actors.Orleans.Format;
using Actors.Orleans.Log;
using Actors.Orleans.Storage;
using Actors.Wal;

namespace Actors.Orleans.EventSourcing;

/// <summary>Loading: the confirmed view read at activation, and the refusal of a journal stored under another provider.</summary>
internal sealed partial class WriteAheadLogViewAdaptor<TView, TEntry>
{
    /// <summary>Reads the newest checkpoint and the events after it into the confirmed view; returns the events replayed.</summary>
    private async Task<int> LoadAsync()
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

        TView view;
        long origin = 0;
        _viewMissesAnEvent = false;
        if (stream.Checkpoint is { } checkpoint)
        {
            LogValueRecord record = ValueCodecs.Parse(checkpoint.State, _settings.What, _settings.StreamId, checkpoint.Version);
            switch (record.Kind)
            {
                case LogValueKind.Snapshot:
                    view = _settings.Codecs.Decode<TView>(record, $"the checkpoint of {_settings.What}", _settings.StreamId, checkpoint.Version);
                    origin = record.Origin ?? 0;
                    break;
                case LogValueKind.JournalReset:
                    view = InitialState;
                    origin = record.Origin ?? checkpoint.Version;
                    break;
                default:
                    throw new ValueDeserializationException(_settings.What, _settings.StreamId, checkpoint.Version, typeof(TView).FullName ?? typeof(TView).Name, record.Codec, $"the checkpoint holds a record of kind {record.Kind}, not a snapshot", null);
            }

            _checkpointVersion = checkpoint.Version;
        }
        else
        {
            view = InitialState;
            _checkpointVersion = 0;
        }

        long bytes = 0;
        foreach (StoredEvent stored in stream.Events)
        {
            Apply(view, DecodeEvent(stored), nameof(LoadAsync));
            bytes += stored.Payload.Length;
        }

        _confirmed = view;
        _origin = origin;
        _version = checked((int)((stream.Events.Count > 0 ? stream.Events[^1].Version : _checkpointVersion) - origin));
        _bytesSinceCheckpoint = bytes;
        return stream.Events.Count;
    }
}
