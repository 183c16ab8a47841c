using Actors.Wal.Format;
using Actors.Wal.Index;

namespace Actors.Wal.Reading;

internal sealed partial class LogReader
{
    /// <summary>
    /// Reads what an erase up to <paramref name="toVersion"/> keeps of a stream (its base, then the events after both the
    /// base and <paramref name="toVersion"/>, in relocation order) and where the erased events lie: the segments of every
    /// record still reachable on the stream's back-pointer chain that holds an event at or below
    /// <paramref name="toVersion"/>, or a checkpoint older than the base (they must be compacted for the events, and the
    /// states built from them, to be physically gone). Null when a record above the base is in a segment deleted
    /// meanwhile (compaction moved the stream: the caller reads its new entry); below the base the walk ends at the first
    /// reclaimed segment.
    /// </summary>
    /// <exception cref="LogCorruptedException">A record on the way is damaged.</exception>
    public async ValueTask<ErasePlan?> PlanEraseAsync(StreamEntry entry, long toVersion, CancellationToken cancellationToken)
    {
        var cursor = new RecordCursor(segments, maxRecordLength);
        var items = new List<RecordItem>();
        var events = new List<RecordItem>();
        var segmentsWithErased = new HashSet<uint>();
        RecordItem? baseItem = null;
        bool hasBase = entry.HasBase;
        long keepAbove = Math.Max(toVersion, hasBase ? entry.BaseVersion : 0);
        long erased = 0;
        byte[]? id = null;
        long position = entry.LatestPosition;
        while (position != LogPosition.None)
        {
            var read = await cursor.ReadAsync(position, cancellationToken).ConfigureAwait(false);
            if (read is not { } record)
            {
                if (baseItem is not null)
                {
                    // Below the base the chain runs into segments reclaimed after the checkpoint: nothing older is stored.
                    break;
                }

                return null;
            }

            id = CheckSameStream(record, id);
            DecodeItems(record, items);
            for (int i = items.Count - 1; i >= 0; i--)
            {
                var item = items[i];
                if (item.Kind == RecordType.Events)
                {
                    if (item.Version > keepAbove)
                    {
                        if (events.Count == 0 || item.Version < events[^1].Version)
                        {
                            events.Add(item);
                        }
                    }
                    else if (item.Version <= toVersion)
                    {
                        erased++;
                        segmentsWithErased.Add(LogPosition.Segment(position));
                    }
                }
                else if (hasBase && baseItem is null && item.Version == entry.BaseVersion && (item.Kind == RecordType.Tombstone) == entry.BaseIsTombstone)
                {
                    baseItem = item;
                }
                else if (item.Kind == RecordType.Checkpoint)
                {
                    // A superseded checkpoint: the fresh chain will not reach it, and it holds state built from erased
                    // events, so its bytes must go too.
                    segmentsWithErased.Add(LogPosition.Segment(position));
                }
            }

            // The whole chain is walked (not only down to the base): erased events below the base still lie in its
            // older records, and their segments must be compacted too.
            position = NextBackPointer(record, position);
        }

        if (id is null || (hasBase && baseItem is null))
        {
            return null;
        }

        var kept = new List<RecordItem>(events.Count + 1);
        if (baseItem is { } b)
        {
            kept.Add(b);
        }

        events.Reverse();
        kept.AddRange(events);
        return new ErasePlan(id, kept, segmentsWithErased, erased);
    }
}

/// <summary>What an erase keeps of a stream and where its erased events lie.</summary>
/// <param name="Id">The stream id (UTF-8).</param>
/// <param name="Kept">The base (if any) and the events after both the base and the erased version, in relocation order.</param>
/// <param name="SegmentsWithErased">Segments holding records with erased events or superseded checkpoints.</param>
/// <param name="EventsErased">Erased events still stored (reachable on the chain).</param>
internal sealed record ErasePlan(byte[] Id, List<RecordItem> Kept, HashSet<uint> SegmentsWithErased, long EventsErased);
