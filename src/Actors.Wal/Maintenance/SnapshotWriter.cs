using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;

namespace Actors.Wal.Maintenance;

/// <summary>
/// Writes the recovery snapshot from the live index while the log keeps running (a fuzzy snapshot): the recovery point
/// is taken first, then the entries are copied (each one consistent, possibly newer than the recovery point, which
/// recovery's replay rule makes harmless), and everything applied by then is durable before the file is renamed into
/// place. Whole (<c>index.snapshot</c>), or as the entries changed since the last whole one it wrote (<c>index.delta</c>,
/// <see cref="WriteAheadLogOptions.SnapshotDeltaMinStreams"/>).
/// </summary>
/// <remarks>Ownership: one caller at a time (the maintenance thread's snapshot lock).</remarks>
internal sealed class SnapshotWriter(IFileSystem fileSystem, string directory, int deltaMinStreams)
{
    /// <summary>The last full snapshot this writer wrote, which a delta extends; null before the first.</summary>
    private FullSnapshot? _full;

    /// <summary>Bytes of the deltas written since <see cref="_full"/>.</summary>
    private long _deltaBytesSinceFull;

    /// <summary>
    /// Serializes the snapshot of the state applied up to <paramref name="recoveryPoint"/> (a position, or None for an
    /// empty log): a delta when the writer wrote a full snapshot before, the index holds at least the configured number of
    /// streams, at most a quarter of those changed since, and the deltas written since it, this one included, are smaller
    /// than it (a delta holds every change since the full snapshot, so once the deltas cost as much as a full one, a full
    /// one makes the next deltas small again); else the whole index.
    /// </summary>
    /// <param name="clean">Written at clean shutdown (nothing after the recovery point).</param>
    /// <param name="recoveryPoint">The applied position when the snapshot starts: every record before it is in the index.</param>
    /// <param name="nextLsn">An LSN at least one above every record before the recovery point.</param>
    /// <param name="lastTimestamp">The highest record timestamp written.</param>
    /// <param name="index">The index to copy.</param>
    /// <param name="segments">The segments; those up to the recovery point's are described (their ends are durable claims).</param>
    public PreparedSnapshot Prepare(bool clean, long recoveryPoint, long nextLsn, long lastTimestamp, StreamIndex index, SegmentSet segments)
    {
        var (rpSegment, rpOffset, table) = Describe(recoveryPoint, segments);
        var tiers = index.Current;
        if (_full is { } full && deltaMinStreams > 0 && tiers.Count >= deltaMinStreams)
        {
            // Every change published since the full snapshot started lies at or after its recovery point.
            var changed = StreamIndex.CaptureChanged(tiers, full.Since);
            if ((long)changed.Count * 4 <= full.Streams)
            {
                byte[] delta = RecoverySnapshotDelta.Serialize(full.Identity, clean, rpSegment, rpOffset, nextLsn, lastTimestamp, changed, table);
                if (_deltaBytesSinceFull + delta.Length < full.Identity.Length)
                {
                    return new PreparedSnapshot(delta, IsDelta: true, recoveryPoint, changed.Count);
                }
            }
        }

        var entries = StreamIndex.Capture(tiers);
        return new PreparedSnapshot(RecoverySnapshot.Serialize(clean, rpSegment, rpOffset, nextLsn, lastTimestamp, entries, table), IsDelta: false, recoveryPoint, entries.Count);
    }

    /// <summary>Writes a prepared snapshot durably; after a full one, deletes the delta that extended the previous one.</summary>
    public void Write(PreparedSnapshot snapshot)
    {
        if (snapshot.IsDelta)
        {
            RecoverySnapshotDelta.Envelope.Replace(fileSystem, directory, snapshot.Data);
            _deltaBytesSinceFull += snapshot.Data.Length;
            return;
        }

        // Forgotten first: after a failure part-way (renamed, then a failed sync), no delta may name the file it replaced.
        _full = null;
        WriteFull(fileSystem, directory, snapshot.Data);
        _full = new FullSnapshot(RecoverySnapshotDelta.IdentityOf(snapshot.Data), snapshot.RecoveryPoint, snapshot.Streams);
        _deltaBytesSinceFull = 0;
    }

    /// <summary>
    /// Serializes a full snapshot of the state applied up to <paramref name="recoveryPoint"/> (the log at close).
    /// </summary>
    public static byte[] SerializeFull(bool clean, long recoveryPoint, long nextLsn, long lastTimestamp, StreamIndex index, SegmentSet segments)
    {
        var (rpSegment, rpOffset, table) = Describe(recoveryPoint, segments);
        return RecoverySnapshot.Serialize(clean, rpSegment, rpOffset, nextLsn, lastTimestamp, StreamIndex.Capture(index.Current), table);
    }

    /// <summary>
    /// Writes a full snapshot durably (temp file, fsync, rename, directory fsync), then deletes any delta: one left behind
    /// names the replaced file and is ignored by recovery, so the delete needs no sync.
    /// </summary>
    public static void WriteFull(IFileSystem fileSystem, string directory, byte[] data)
    {
        RecoverySnapshot.Envelope.Replace(fileSystem, directory, data);
        fileSystem.DeleteFile(RecoverySnapshotDelta.Envelope.PathIn(directory));
    }

    private static (uint Segment, long Offset, List<(uint Id, bool Sealed, long WriteOffset)> Table) Describe(long recoveryPoint, SegmentSet segments)
    {
        uint rpSegment = recoveryPoint == LogPosition.None ? (segments.Count > 0 ? segments.All[0].Id : 0) : LogPosition.Segment(recoveryPoint);
        long rpOffset = recoveryPoint == LogPosition.None ? SegmentHeader.Size : LogPosition.Offset(recoveryPoint);
        var table = new List<(uint Id, bool Sealed, long WriteOffset)>();
        foreach (var segment in segments.All)
        {
            if (segment.Id < rpSegment)
            {
                table.Add((segment.Id, segment.IsSealed, segment.WrittenOffset));
            }
            else if (segment.Id == rpSegment)
            {
                table.Add((segment.Id, segment.IsSealed && rpOffset >= segment.WrittenOffset, rpOffset));
            }
        }

        return (rpSegment, rpOffset, table);
    }

    /// <summary>A full snapshot written: its file's identity, the position changes after it are captured from, its entries.</summary>
    private readonly record struct FullSnapshot((uint Crc, long Length) Identity, long Since, int Streams);
}

/// <summary>A serialized snapshot, whole or a delta, and what the writer records once it is written.</summary>
/// <param name="Data">The file's bytes.</param>
/// <param name="IsDelta">True for <c>index.delta</c>.</param>
/// <param name="RecoveryPoint">The applied position the snapshot started from.</param>
/// <param name="Streams">The entries it holds.</param>
internal sealed record PreparedSnapshot(byte[] Data, bool IsDelta, long RecoveryPoint, int Streams);
