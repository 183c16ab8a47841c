using System.Buffers;
using Actors.Wal.Format;
using Actors.Wal.Index;

namespace Actors.Wal.Reading;

// A copy's catch-up: the events a stream gained while its copy was prepared (methods only: the state is in LogReader.cs).
internal sealed partial class LogReader
{
    /// <summary>
    /// The events <paramref name="entry"/>'s stream gained after <paramref name="since"/> (the latest record a prepared
    /// copy holds), oldest first: walks back from the entry's latest record to <paramref name="since"/>. Null when a record
    /// on the way is not an events record (the stream was checkpointed, deleted or copied meanwhile: the copy is stale) or
    /// the chain does not lead to <paramref name="since"/>.
    /// </summary>
    /// <param name="entry">The stream's entry now.</param>
    /// <param name="since">A position on its chain.</param>
    /// <param name="pool">The pool the read buffers are rented from.</param>
    /// <param name="rentals">The rented buffers are added here; the items' payloads point into them.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="LogCorruptedException">A record on the way is damaged.</exception>
    public async ValueTask<List<RecordItem>?> CollectEventsSinceAsync(
        StreamEntry entry, long since, ArrayPool<byte> pool, List<byte[]> rentals, CancellationToken cancellationToken)
    {
        var cursor = new RecordCursor(segments, maxRecordLength, pool, rentals);
        var gained = new List<RecordItem>();
        var items = new List<RecordItem>();
        byte[]? id = null;
        long position = entry.LatestPosition;
        while (position != since)
        {
            if (position == LogPosition.None || position < since)
            {
                return null;
            }

            var read = await cursor.ReadAsync(position, cancellationToken).ConfigureAwait(false);
            if (read is not { } record || record.Header.Type != RecordType.Events)
            {
                return null;
            }

            id = CheckSameStream(record, id);
            DecodeItems(record, items);
            for (int i = items.Count - 1; i >= 0; i--)
            {
                gained.Add(items[i]);
            }

            position = NextBackPointer(record, position);
        }

        gained.Reverse();
        return gained;
    }
}
