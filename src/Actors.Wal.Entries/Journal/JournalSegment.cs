using Actors.Wal.IO;

namespace Actors.Wal.Entries.Journal;

/// <summary>One segment file of an <see cref="EntryJournal"/>: its ordinal (0, 1, ... in creation order), its first position and its lengths.</summary>
internal sealed class JournalSegment(IWalFile file, long ordinal, long firstPosition) : IDisposable
{
    public IWalFile File { get; } = file;

    /// <summary>Creation order within this journal instance (recovery numbers the segments found from 0); never reused.</summary>
    public long Ordinal { get; } = ordinal;

    /// <summary>The journal-wide position of the file's byte 0.</summary>
    public long FirstPosition { get; } = firstPosition;

    /// <summary>Bytes in use (written or buffered): the header plus every record.</summary>
    public long Length { get; set; } = EntryJournalFormat.SegmentHeaderSize;

    /// <summary>Bytes handed to the file (<see cref="Length"/> minus what is still buffered).</summary>
    public long WrittenLength { get; set; } = EntryJournalFormat.SegmentHeaderSize;

    /// <summary>The file's length including the zero-filled reserve after the records; equal to <see cref="Length"/> once sealed.</summary>
    public long ReservedLength { get; set; } = EntryJournalFormat.SegmentHeaderSize;

    /// <summary>Whether it holds at least one record.</summary>
    public bool HasRecords => Length > EntryJournalFormat.SegmentHeaderSize;

    /// <summary>The journal-wide position just after its last record.</summary>
    public long EndPosition => FirstPosition + Length;

    public void Dispose() => File.Dispose();
}
