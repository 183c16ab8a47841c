namespace Actors.Wal.Entries.Journal;

/// <summary>
/// The records an <see cref="EntryJournal"/> appended but has not handed to its active segment's file yet, framed back
/// to back (<see cref="EntryJournalFormat"/>): the group commit writes them with one call before its fsync.
/// </summary>
/// <remarks>Not thread-safe: the journal calls it under its lock. It grows to fit the largest batch and never shrinks.</remarks>
internal sealed class JournalWriteBuffer
{
    private byte[] _bytes = new byte[64 * 1024];

    /// <summary>The bytes buffered.</summary>
    public int Length { get; private set; }

    /// <summary>The buffered records; valid until the next <see cref="Add"/> or <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Records => _bytes.AsSpan(0, Length);

    /// <summary>Frames a record after the buffered ones.</summary>
    public void Add(JournalRecordKind kind, int logId, long lsn, long epoch, ReadOnlySpan<byte> payload)
    {
        var size = EntryJournalFormat.RecordSize(payload.Length);
        if (_bytes.Length < Length + size)
        {
            Array.Resize(ref _bytes, Math.Max(Length + size, _bytes.Length * 2));
        }

        EntryJournalFormat.WriteRecord(_bytes.AsSpan(Length), kind, logId, lsn, epoch, payload);
        Length += size;
    }

    /// <summary>Forgets the buffered records (they were written).</summary>
    public void Clear() => Length = 0;
}
