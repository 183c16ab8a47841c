using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;

namespace Actors.Wal.Maintenance;

/// <summary>
/// Writes <c>index.snapshot</c> from the live index while the log keeps running (a fuzzy snapshot): the recovery point
/// is taken first, then every entry is copied (each one consistent, possibly newer than the recovery point, which
/// recovery's replay rule makes harmless), and everything applied by then is durable before the file is renamed into
/// place.
/// </summary>
internal static class SnapshotWriter
{
    /// <summary>
    /// Serializes the snapshot of the state applied up to <paramref name="recoveryPoint"/> (a position, or None for an
    /// empty log).
    /// </summary>
    /// <param name="clean">Written at clean shutdown (nothing after the recovery point).</param>
    /// <param name="recoveryPoint">The applied position when the snapshot starts: every record before it is in the index.</param>
    /// <param name="nextLsn">An LSN at least one above every record before the recovery point.</param>
    /// <param name="lastTimestamp">The highest record timestamp written.</param>
    /// <param name="index">The index to copy.</param>
    /// <param name="segments">The segments; those up to the recovery point's are described (their ends are durable claims).</param>
    public static byte[] Serialize(bool clean, long recoveryPoint, long nextLsn, long lastTimestamp, StreamIndex index, SegmentSet segments)
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

        var entries = StreamIndex.Capture(index.Current);
        return RecoverySnapshot.Serialize(clean, rpSegment, rpOffset, nextLsn, lastTimestamp, entries, table);
    }

    /// <summary>Writes the file durably (temp file, fsync, rename, directory fsync).</summary>
    public static void Write(IFileSystem fileSystem, string directory, byte[] data)
        => RecoverySnapshot.Envelope.Replace(fileSystem, directory, data);
}
