using Actors.Wal.IO;

namespace Actors.Wal.Entries.Journal;

/// <summary>
/// The open segment files of an <see cref="EntryJournal"/>, oldest first; the last is the active one, which records go
/// to. Creates the next segment (numbered in creation order, <see cref="JournalSegment.Ordinal"/>), seals the active one,
/// and deletes obsolete ones from the oldest, so that recovery never finds a gap.
/// </summary>
/// <remarks>
/// Not thread-safe: the journal calls it under its lock, and disposes it once its sync thread stopped. An I/O error fails
/// the journal (<paramref name="usability"/>).
/// </remarks>
/// <param name="fileSystem">The file system the segments live on.</param>
/// <param name="directory">The journal's directory.</param>
/// <param name="usability">The journal's usability: its I/O errors fail the journal.</param>
/// <param name="recovered">The segments recovery opened, oldest first (ordinals from 0).</param>
internal sealed class JournalSegmentList(IFileSystem fileSystem, string directory, LogUsability usability, List<JournalSegment> recovered) : IDisposable
{
    private readonly List<JournalSegment> _segments = recovered;
    private long _nextOrdinal = recovered.Count == 0 ? 0 : recovered[^1].Ordinal + 1;

    /// <summary>The number of segment files.</summary>
    public int Count => _segments.Count;

    /// <summary>The segment records are appended to: the last (there must be one).</summary>
    public JournalSegment Active => _segments[^1];

    /// <summary>Whether a record of <paramref name="size"/> bytes needs a new segment: there is none, or the active one holds records and would grow past <paramref name="segmentSizeBytes"/>.</summary>
    public bool NeedsNewSegment(int size, long segmentSizeBytes) => _segments.Count == 0 || (Active.HasRecords && Active.Length + size > segmentSizeBytes);

    /// <summary>The open segment numbered <paramref name="ordinal"/> (one an entry still held lies in: never deleted).</summary>
    public JournalSegment Find(long ordinal) => _segments[checked((int)(ordinal - _segments[0].Ordinal))];

    /// <summary>
    /// Seals the active segment, whose records the caller wrote: its zero-filled reserve cut and its file synced (only the
    /// last segment may end torn or in zeros). Returns its end, the journal-wide position up to which records are durable.
    /// </summary>
    /// <exception cref="LogFailedException">An I/O error: the journal failed.</exception>
    public long SealActive()
    {
        var sealing = Active;
        usability.Guard("cut the zero-filled reserve", () => sealing.ReservedLength = EntrySegmentFile.CutReserve(sealing.File, sealing.Length, sealing.ReservedLength));
        usability.Guard("fsync (seal segment)", () => sealing.File.FlushData());
        return sealing.EndPosition;
    }

    /// <summary>Creates the next segment, starting at the journal-wide <paramref name="firstPosition"/>, durably (its header synced, then the directory): it becomes the active one.</summary>
    /// <exception cref="LogFailedException">An I/O error: the journal failed.</exception>
    public void Create(long firstPosition)
    {
        var path = Path.Combine(directory, EntryJournalFormat.SegmentFileName(firstPosition));
        var ordinal = _nextOrdinal++;
        usability.Guard("create segment", () =>
        {
            Span<byte> header = stackalloc byte[EntryJournalFormat.SegmentHeaderSize];
            EntryJournalFormat.WriteSegmentHeader(header, firstPosition);
            _segments.Add(new JournalSegment(EntrySegmentFile.Create(fileSystem, directory, path, header), ordinal, firstPosition));
        });
    }

    /// <summary>
    /// Deletes the oldest segments while their ordinal is below <paramref name="firstNeeded"/>, never the active one nor
    /// <paramref name="syncing"/> (an fsync outside the lock is using it), each deletion synced; returns how many.
    /// </summary>
    /// <exception cref="LogFailedException">An I/O error: the journal failed; a prefix of the deletions happened.</exception>
    public int DeleteBefore(long firstNeeded, JournalSegment? syncing)
    {
        var deleted = 0;
        while (_segments.Count > 1 && _segments[0].Ordinal < firstNeeded && !ReferenceEquals(_segments[0], syncing))
        {
            var segment = _segments[0];
            _segments.RemoveAt(0);
            segment.Dispose();
            usability.Guard("delete an obsolete segment", () => EntrySegmentFile.Delete(fileSystem, directory, segment.File.Path));
            deleted++;
        }

        return deleted;
    }

    /// <summary>Closes every segment file.</summary>
    public void Dispose()
    {
        foreach (var segment in _segments)
        {
            segment.Dispose();
        }
    }
}
