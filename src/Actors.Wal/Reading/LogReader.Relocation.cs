using System.Buffers;
using Actors.Wal.Format;
using Actors.Wal.Index;

namespace Actors.Wal.Reading;

internal sealed partial class LogReader
{
    /// <summary>
    /// A cursor for several relocation walks in a row (<see cref="CollectForRelocationAsync"/>'s <c>shared</c>): compaction
    /// walks a chunk of streams in descending order of their latest positions, so a window read for one stream (it ends
    /// 512 bytes past the start of the record asked for) holds the latest records of the next ones, which lie just before.
    /// Its windows are rented from <paramref name="pool"/> into <paramref name="rentals"/>; the caller returns them once
    /// every walk's items are no longer used. One thread at a time.
    /// </summary>
    /// <remarks>
    /// A window it holds is served again without looking at the segment, so share it only where no segment it read can be
    /// deleted meanwhile and every position asked for was written before the cursor was made: the space pass, which is
    /// the one that deletes segments (after its copies) and asks only for positions of the index it read first. A cursor
    /// of one walk instead finds a segment deleted since as null (<see cref="RecordCursor"/>).
    /// </remarks>
    public RecordCursor RelocationCursor(ArrayPool<byte> pool, List<byte[]> rentals) => new(segments, maxRecordLength, pool, rentals, synchronousReads: true);

    /// <summary>
    /// The stream's live items in relocation order (the base, then events ascending) and its id, read from its records
    /// (maintenance). Null when a record on the way is in a deleted segment (the stream moved meanwhile). No items when
    /// the stream stores nothing but its version (an erase up to its latest version left an empty relocation record):
    /// that record is copied forward too, else the segment holding it would never be dead.
    /// </summary>
    /// <param name="entry">The stream's published entry.</param>
    /// <param name="retention">Null when the log does not retain the events checkpoints cover: the copy keeps the base and the
    /// events after it (and, when the base lies in a copy holding older checkpoints, as a checkpoint deletion's copy can, those
    /// checkpoints and the events after the oldest of them, as that copy holds them). Otherwise
    /// (<see cref="WriteAheadLogOptions.RetainCheckpointedEvents"/>) the copy keeps the events of the stream's current
    /// incarnation still stored that the stream's policy keeps (every one after the base), the base after those it covers,
    /// and the older checkpoints that share the base's copy (<see cref="PlanRewriteAsync"/>).</param>
    /// <param name="pool">The pool the read buffers are rented from.</param>
    /// <param name="rentals">The rented buffers are added here; the items' payloads point into them, so the caller
    /// returns them only once the items are no longer used.</param>
    /// <param name="scratch">Lists reused from one call to the next (the returned items are in a list of their own).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <param name="shared">A cursor of <see cref="RelocationCursor"/> that several walks share (its windows rented into
    /// <paramref name="rentals"/> too), or null for one of this walk's own.</param>
    /// <exception cref="LogCorruptedException">A record on the way is damaged.</exception>
    /// <remarks>The segments are read on the calling thread (<see cref="RecordCursor"/>'s synchronous reads): without
    /// <paramref name="retention"/> the call completes synchronously.</remarks>
    public async ValueTask<(byte[] Id, List<RecordItem> Items)?> CollectForRelocationAsync(
        StreamEntry entry, HistoryRewrite? retention, ArrayPool<byte> pool, List<byte[]> rentals, RelocationScratch scratch, CancellationToken cancellationToken, RecordCursor? shared = null)
    {
        var cursor = shared ?? new RecordCursor(segments, maxRecordLength, pool, rentals, synchronousReads: true);
        if (retention is { } rewrite)
        {
            var plan = await PlanRewriteAsync(entry, rewrite, cursor, cancellationToken).ConfigureAwait(false);
            return plan is null ? null : (plan.Id, plan.Kept);
        }

        try
        {
            var older = scratch.Older;
            var items = scratch.Items;
            var events = scratch.Events;
            RecordItem? baseItem = null;
            bool hasBase = entry.HasBase;
            byte[]? id = null;
            long position = entry.LatestPosition;
            bool done = false;
            while (!done && position != LogPosition.None)
            {
                var read = await cursor.ReadAsync(position, cancellationToken).ConfigureAwait(false);
                if (read is not { } record)
                {
                    return null;
                }

                id = CheckSameStream(record, id);
                DecodeItems(record, items);
                for (int i = items.Count - 1; i >= 0 && !done; i--)
                {
                    var item = items[i];
                    if (item.Kind == RecordType.Events)
                    {
                        if (hasBase && item.Version <= entry.BaseVersion)
                        {
                            done = true;
                        }
                        else
                        {
                            events.Add(item);
                        }
                    }
                    else if (hasBase && baseItem is null && item.Version == entry.BaseVersion && (item.Kind == RecordType.Tombstone) == entry.BaseIsTombstone)
                    {
                        baseItem = item;
                        int oldest = item.Kind == RecordType.Checkpoint && record.Header.Type == RecordType.Relocated
                            ? items.FindIndex(0, i, static x => x.Kind == RecordType.Checkpoint)
                            : -1;
                        for (int k = Math.Max(oldest, 0); oldest >= 0 && k < i; k++)
                        {
                            // The base is in a copy that holds older checkpoints (a checkpoint deletion kept them, with the events
                            // after the oldest): kept with it, in the copy's order, so a compaction never undoes a deletion.
                            older.Add(items[k]);
                        }

                        done = item.Kind == RecordType.Tombstone
                            || (events.Count > 0 ? events[^1].Version == item.Version + 1 : item.Version >= entry.Version);
                    }
                }

                position = NextBackPointer(record, position);
            }

            if (id is null || (hasBase && baseItem is null))
            {
                return null;
            }

            var output = new List<RecordItem>(older.Count + 1 + events.Count);
            output.AddRange(older);
            if (baseItem is { } b)
            {
                output.Add(b);
            }

            for (int i = events.Count - 1; i >= 0; i--)
            {
                output.Add(events[i]);
            }

            return (id, output);
        }
        finally
        {
            // No payload of this copy stays referenced by the reused lists once the copy is handed on.
            scratch.Clear();
        }
    }
}
