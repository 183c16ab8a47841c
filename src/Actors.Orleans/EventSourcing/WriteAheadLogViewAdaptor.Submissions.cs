using Actors.Orleans.Format;
using Orleans.EventSourcing;

namespace Actors.Orleans.EventSourcing;

/// <summary>Submissions: events encoded when raised (a range as a whole), and how a batch is cut into appends.</summary>
internal sealed partial class WriteAheadLogViewAdaptor<TView, TEntry>
{
    /// <inheritdoc />
    protected override EncodedSubmission<TEntry> MakeSubmissionEntry(TEntry entry)
    {
        byte[] record;
        if (_encodedAhead.TryPeek(out var ahead) && ReferenceEquals(ahead.Entry, entry))
        {
            _encodedAhead.Dequeue();
            record = ahead.Record;
        }
        else
        {
            record = Encode(entry);
        }

        return new EncodedSubmission<TEntry> { Entry = entry, Record = record };
    }

    /// <summary>
    /// <c>RaiseEvents</c>: every event is encoded before any is submitted, so a range holding one that cannot be serialized
    /// is refused whole (Orleans submits a range one event at a time: the events before the bad one would stay raised).
    /// </summary>
    void ILogViewUpdate<TEntry>.SubmitRange(IEnumerable<TEntry> logEntries)
    {
        try
        {
            SubmitRange(EncodeAhead(logEntries));
        }
        finally
        {
            _encodedAhead.Clear();
        }
    }

    /// <summary><c>RaiseConditionalEvents</c>: refused whole, as <c>RaiseEvents</c>, when one event cannot be serialized.</summary>
    Task<bool> ILogViewUpdate<TEntry>.TryAppendRange(IEnumerable<TEntry> logEntries)
    {
        try
        {
            return TryAppendRange(EncodeAhead(logEntries));
        }
        finally
        {
            _encodedAhead.Clear();
        }
    }

    /// <summary>Encodes every entry of a range, then queues them in <see cref="_encodedAhead"/>; throws, with nothing queued, when one cannot be.</summary>
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

    /// <summary>True when an event of <paramref name="batch"/> from <paramref name="start"/> on was raised conditionally.</summary>
    private static bool HasConditional(EncodedSubmission<TEntry>[] batch, int start)
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

    /// <summary>How many of the batch's events from <paramref name="start"/> fit in one append (at least one: a single event is checked when raised).</summary>
    /// <remarks>An append is one record of the engine, at most its MaxRecordSizeBytes; a batch over it is written as several appends.</remarks>
    private static int FittingPrefix(EncodedSubmission<TEntry>[] batch, int start, int maxBodyBytes)
    {
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
}
