using Actors.Orleans.Codecs;
using Actors.Orleans.Format;
using Actors.Orleans.Storage;
using Actors.Wal;

namespace Actors.Orleans.EventSourcing;

/// <summary>
/// A journaled grain's events as records of its stream: each encoded when it is raised (a range as a whole, before any of
/// it is submitted), decoded when read back, and how a batch of them is cut into appends that each fit in one record of
/// the log.
/// </summary>
/// <remarks>Not thread-safe: its adaptor calls it from the grain's turns only.</remarks>
internal sealed class JournalEventCodec<TEntry>
    where TEntry : class
{
    /// <summary>Each event's length prefix in the record, plus the largest per-payload overhead encryption adds.</summary>
    private const int PerEventOverhead = 4 + 32;

    /// <summary>
    /// The events of a range encoded ahead (<see cref="SubmitEncodedAhead"/>) with their records, taken in order by
    /// <see cref="RecordOf"/> only for the very event at the head (an event a grain raises from a callback while the range
    /// is submitted is encoded on its own).
    /// </summary>
    private readonly Queue<(TEntry Entry, byte[] Record)> _encodedAhead = new();
    private readonly JournalSettings _settings;

    /// <summary>The engine's framing of one append: its 48-byte record header and the stream id (Format/RecordHeader.cs).</summary>
    private readonly int _batchOverhead;

    public JournalEventCodec(JournalSettings settings)
    {
        _settings = settings;
        _batchOverhead = 48 + System.Text.Encoding.UTF8.GetByteCount(settings.StreamId);
    }

    /// <summary>The record of a raised event: the one encoded ahead when <paramref name="entry"/> heads the range being submitted, else encoded now.</summary>
    /// <exception cref="ValueSerializationException">The event cannot be encoded, or would not fit in one record.</exception>
    public byte[] RecordOf(TEntry entry)
    {
        if (_encodedAhead.TryPeek(out var ahead) && ReferenceEquals(ahead.Entry, entry))
        {
            _encodedAhead.Dequeue();
            return ahead.Record;
        }

        return Encode(entry);
    }

    /// <summary>
    /// Submits a range whose events are all encoded first (queued for <see cref="RecordOf"/> while <paramref name="submit"/>
    /// runs, forgotten after): a range holding one that cannot be encoded is refused whole, with nothing submitted.
    /// </summary>
    /// <exception cref="ValueSerializationException">An event of the range cannot be encoded, or would not fit in one record.</exception>
    public T SubmitEncodedAhead<T>(IEnumerable<TEntry> logEntries, Func<IEnumerable<TEntry>, T> submit)
    {
        try
        {
            return submit(EncodeAhead(logEntries));
        }
        finally
        {
            _encodedAhead.Clear();
        }
    }

    /// <inheritdoc cref="SubmitEncodedAhead{T}"/>
    public void SubmitEncodedAhead(IEnumerable<TEntry> logEntries, Action<IEnumerable<TEntry>> submit)
        => SubmitEncodedAhead(logEntries, entries =>
        {
            submit(entries);
            return true;
        });

    /// <summary>Encodes every entry of a range, then queues them for <see cref="RecordOf"/>; throws, with nothing queued, when one cannot be.</summary>
    private List<TEntry> EncodeAhead(IEnumerable<TEntry> logEntries)
    {
        ArgumentNullException.ThrowIfNull(logEntries);
        var entries = logEntries.ToList();
        var records = new byte[entries.Count][];
        for (int i = 0; i < entries.Count; i++)
        {
            records[i] = Encode(entries[i]);
        }

        for (int i = 0; i < entries.Count; i++)
        {
            _encodedAhead.Enqueue((entries[i], records[i]));
        }

        return entries;
    }

    /// <summary>The event a stored record holds.</summary>
    /// <exception cref="ValueDeserializationException">The record is not an event, or cannot be decoded as <typeparamref name="TEntry"/>.</exception>
    public TEntry Decode(StoredEvent stored)
    {
        LogValueRecord record = ValueCodecs.Parse(stored.Payload, _settings.What, _settings.StreamId, stored.Version);
        if (record.Kind != LogValueKind.Event)
        {
            throw new ValueDeserializationException(_settings.What, _settings.StreamId, stored.Version, typeof(TEntry).FullName ?? typeof(TEntry).Name, record.Codec, $"the journal holds a record of kind {record.Kind}, not an event", null);
        }

        return _settings.Codecs.Decode<TEntry>(record, _settings.What, _settings.StreamId, stored.Version);
    }

    /// <summary>How many of the batch's events from <paramref name="start"/> fit in one append (at least one: a single event is checked when raised).</summary>
    /// <remarks>An append is one record of the engine, at most its MaxRecordSizeBytes; a batch over it is written as several appends.</remarks>
    public int FittingPrefix(EncodedSubmission<TEntry>[] batch, int start)
    {
        int maxBodyBytes = _settings.MaxRecordSizeBytes - _batchOverhead;
        long bytes = 0;
        for (int i = start; i < batch.Length; i++)
        {
            bytes += batch[i].Record.Length + PerEventOverhead;
            if (bytes > maxBodyBytes && i > start)
            {
                return i - start;
            }
        }

        return batch.Length - start;
    }

    /// <summary>True when an event of <paramref name="batch"/> from <paramref name="start"/> on was raised conditionally.</summary>
    public static bool HasConditional(EncodedSubmission<TEntry>[] batch, int start)
    {
        for (int i = start; i < batch.Length; i++)
        {
            if (batch[i].ConditionalPosition >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Encodes one event; throws <see cref="ValueSerializationException"/> when it cannot be, or when it would not fit in one record.</summary>
    private byte[] Encode(TEntry entry)
    {
        byte[] record = _settings.Codecs.Encode(LogValueKind.Event, entry, _settings.What, _settings.StreamId);
        if (_batchOverhead + record.Length + PerEventOverhead > _settings.MaxRecordSizeBytes)
        {
            throw new ValueSerializationException(_settings.What, _settings.StreamId, entry.GetType(), _settings.Codecs.WriteCodec,
                new InvalidOperationException($"the event takes {record.Length} bytes; with its framing that is more than the log's MaxRecordSizeBytes ({_settings.MaxRecordSizeBytes})"));
        }

        return record;
    }
}
