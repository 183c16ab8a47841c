using Actors.Wal.Format;
using Actors.Wal.Index;

namespace Actors.Wal.Reading;

internal sealed partial class LogReader
{
    /// <summary>
    /// Plans a rewrite of a stream's history (an erase, a checkpoint deletion, or a relocation of a log that retains
    /// history): reads the stream's whole back-pointer chain and returns what the copy keeps, in the order of a Relocated
    /// record, and the segments that hold what the rewrite removes.
    /// </summary>
    /// <remarks>
    /// <para>Kept: the new base (the newest checkpoint the rewrite does not delete, else the newest tombstone) and the events
    /// after both <see cref="HistoryRewrite.EraseToVersion"/> and the newest tombstone; without
    /// <see cref="HistoryRewrite.RetainHistory"/> only the events after the base. A checkpoint deletion (criteria, no erase)
    /// deletes exactly what it selects: it also keeps every older checkpoint of the stream's current incarnation it does not
    /// select, and (without <see cref="HistoryRewrite.RetainHistory"/>) the events after the oldest of them, so reads as of
    /// their versions, and as of the versions between them, still find them. Kept items are ordered by version, each
    /// checkpoint after the events it covers (checkpoints of one version in the order they were written): a walk backwards
    /// then meets the events after the base, then the base, then the older events and checkpoints, which is what
    /// point-in-time reads need (<see cref="RecordCodec.RelocatedBase"/>).</para>
    /// <para>Removed (their segments must be compacted for the bytes to go): every record still reachable on the chain
    /// that holds an event at or below <see cref="HistoryRewrite.EraseToVersion"/> or a checkpoint the criteria select;
    /// when erasing, also every older checkpoint than the base (it holds state built from the erased events).</para>
    /// <para>Null when a record above the base is in a segment deleted meanwhile (compaction moved the stream: the caller
    /// reads its new entry); below the base the walk ends at the first reclaimed segment.</para>
    /// </remarks>
    /// <exception cref="LogCorruptedException">A record on the way is damaged.</exception>
    public async ValueTask<RewritePlan?> PlanRewriteAsync(StreamEntry entry, HistoryRewrite rewrite, RecordCursor? cursor, CancellationToken cancellationToken)
    {
        cursor ??= new RecordCursor(segments, maxRecordLength);
        var items = new List<RecordItem>();
        var events = new List<RecordItem>(); // newest first
        RecordItem? newest = null; // the newest checkpoint kept, above the newest tombstone
        var older = new List<RecordItem>(); // the other checkpoints kept above the newest tombstone, newest first
        bool keepsOlder = rewrite.Checkpoints is not null && rewrite.EraseToVersion == 0;
        long newestIn = LogPosition.None; // the Relocated record holding the newest checkpoint kept, if it is in one
        var removed = new HashSet<uint>();
        var deleted = new List<long>();
        RecordItem? tombstone = null;
        bool foundBase = !entry.HasBase;
        long toVersion = rewrite.EraseToVersion;
        long erased = 0;
        byte[]? id = null;
        long position = entry.LatestPosition;
        while (position != LogPosition.None)
        {
            var read = await cursor.ReadAsync(position, cancellationToken).ConfigureAwait(false);
            if (read is not { } record)
            {
                if (foundBase)
                {
                    // Below the base the chain runs into segments reclaimed after the checkpoint: nothing older is stored.
                    break;
                }

                return null;
            }

            id = CheckSameStream(record, id);
            DecodeItems(record, items);
            uint segment = LogPosition.Segment(position);
            for (int i = items.Count - 1; i >= 0; i--)
            {
                var item = items[i];
                if (!foundBase && item.Kind != RecordType.Events && item.Version == entry.BaseVersion && (item.Kind == RecordType.Tombstone) == entry.BaseIsTombstone)
                {
                    foundBase = true;
                }

                switch (item.Kind)
                {
                    case RecordType.Events when item.Version <= toVersion:
                        erased++;
                        removed.Add(segment);
                        break;
                    case RecordType.Events:
                        if (tombstone is null && (events.Count == 0 || item.Version < events[^1].Version))
                        {
                            events.Add(item);
                        }

                        break;
                    case RecordType.Checkpoint when rewrite.Checkpoints is { } criteria && criteria.Matches(item.Version, item.TimestampTicks):
                        deleted.Add(item.Version);
                        removed.Add(segment);
                        break;
                    case RecordType.Checkpoint:
                        if (tombstone is null && newest is null)
                        {
                            newest = item;
                            newestIn = record.Header.Type == RecordType.Relocated ? position : LogPosition.None;
                        }
                        else if (tombstone is null && (keepsOlder || (toVersion == 0 && position == newestIn)))
                        {
                            // Not selected: a checkpoint deletion removes nothing else (reads as of its version still find it),
                            // and a compaction does not undo one: it keeps the checkpoints a copy holds with the base.
                            older.Add(item);
                        }
                        else if (toVersion > 0)
                        {
                            // A superseded checkpoint (of this incarnation or a deleted one) holds state built from erased
                            // events: the copy keeps only the newest, the fresh chain will not reach this one, and its bytes
                            // must go too.
                            removed.Add(segment);
                        }

                        break;
                    case RecordType.Tombstone:
                        tombstone ??= item;
                        break;
                    default:
                        break;
                }
            }

            // The whole chain is walked (not only down to the base): erased events and selected checkpoints below the base
            // still lie in its older records, and their segments must be compacted too.
            position = NextBackPointer(record, position);
        }

        if (id is null || !foundBase)
        {
            return null;
        }

        // The checkpoints kept, oldest first (in log order: versions never decrease within an incarnation), the base last.
        var bases = new List<RecordItem>(older.Count + 1);
        for (int i = older.Count - 1; i >= 0; i--)
        {
            bases.Add(older[i]);
        }

        if ((newest ?? tombstone) is { } newBase)
        {
            bases.Add(newBase);
        }

        return Arrange(id, entry, rewrite, events, bases, removed, deleted, erased);
    }

    /// <summary>Orders what a rewrite keeps into the items of its Relocated copy and decides whether it may be carried out.</summary>
    /// <param name="id">The stream id (UTF-8).</param>
    /// <param name="entry">The stream's entry the plan was read for.</param>
    /// <param name="rewrite">What the rewrite removes.</param>
    /// <param name="events">The events of the stream's current incarnation still on the chain and not erased, newest first.</param>
    /// <param name="bases">The checkpoints kept, oldest first, the new base (or the newest tombstone) last; empty: none.</param>
    /// <param name="removed">Segments holding what the rewrite removes.</param>
    /// <param name="deleted">Versions of the selected checkpoints found, newest first.</param>
    /// <param name="erased">Erased events found.</param>
    private static RewritePlan Arrange(
        byte[] id, StreamEntry entry, HistoryRewrite rewrite, List<RecordItem> events, List<RecordItem> bases, HashSet<uint> removed, List<long> deleted, long erased)
    {
        rewrite = rewrite.ForStream(id);
        RecordItem? newBase = bases.Count > 0 ? bases[^1] : null;
        long baseVersion = newBase?.Version ?? 0;
        long keepFrom = rewrite.RetainHistory ? 0 : (bases.Count > 0 ? bases[0].Version : 0) + 1;
        bool coveredByCheckpoint = newBase is { Kind: RecordType.Checkpoint };
        long keepVersionsFrom = rewrite.KeepLastVersions > 0 ? entry.Version - rewrite.KeepLastVersions + 1 : 0;
        events.Reverse();
        var keptEvents = new List<RecordItem>(events.Count);
        foreach (var item in events)
        {
            bool covered = coveredByCheckpoint && item.Version <= baseVersion;
            if (item.Version >= keepFrom && !(covered && (item.TimestampTicks < rewrite.DropCoveredBeforeTicks || item.Version < keepVersionsFrom)))
            {
                keptEvents.Add(item);
            }
        }

        // The events kept are the newest ones (each rule above leaves out a prefix of versions): an older checkpoint is kept
        // only with every event up to the next checkpoint kept, else a read as of those versions would find it and miss them.
        long firstEvent = keptEvents.Count > 0 ? keptEvents[0].Version : long.MaxValue;
        for (int i = bases.Count - 2; i >= 0; i--)
        {
            if (bases[i].Version + 1 < firstEvent && bases[i + 1].Version > bases[i].Version + 1)
            {
                bases.RemoveRange(0, i + 1);
                break;
            }
        }

        var kept = new List<RecordItem>(keptEvents.Count + bases.Count);
        int nextBase = 0;
        foreach (var item in keptEvents)
        {
            // Each checkpoint after the events it covers, before the first event after it.
            while (nextBase < bases.Count && item.Version > bases[nextBase].Version)
            {
                kept.Add(bases[nextBase++]);
            }

            kept.Add(item);
        }

        while (nextBase < bases.Count)
        {
            kept.Add(bases[nextBase++]);
        }

        string? rejection = null;
        bool baseDeleted = entry.HasBase && !entry.BaseIsTombstone && deleted.Contains(entry.BaseVersion);
        if (baseDeleted)
        {
            // The state must still be rebuildable: every event from the new base (or the stream's start) up to the
            // deleted checkpoint must be stored.
            long from = baseVersion + 1;
            long stored = events.Count(e => e.Version >= from && e.Version <= entry.BaseVersion);
            if (stored < entry.BaseVersion - from + 1)
            {
                rejection = $"the stream's state could not be rebuilt without the checkpoint at version {entry.BaseVersion}: "
                    + $"the events {from}..{entry.BaseVersion} it covers are no longer all stored (reclaimed after it, or erased); write a newer checkpoint first and delete this one then";
            }
        }

        return new RewritePlan(id, kept, removed, erased, deleted, rejection);
    }
}
