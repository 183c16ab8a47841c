namespace Actors.Wal.Entries;

/// <summary>
/// The owner's state after entries 1..<paramref name="Lsn"/> of an <see cref="EntryLog"/>: what replaces those entries
/// once they are deleted (<see cref="EntryLog.DeletePrefix"/>) or when a log is replaced by a checkpoint taken from
/// elsewhere (<see cref="EntryLog.InstallCheckpoint"/>).
/// </summary>
/// <param name="Lsn">The last entry the state includes (0 only for <see cref="None"/>).</param>
/// <param name="Epoch">The epoch of entry <paramref name="Lsn"/>.</param>
/// <param name="State">Opaque bytes; the log stores them with a CRC32C and hands them back as written.</param>
public sealed record EntryLogCheckpoint(long Lsn, long Epoch, ReadOnlyMemory<byte> State)
{
    /// <summary>No checkpoint: the log starts at LSN 1.</summary>
    public static readonly EntryLogCheckpoint None = new(0, 0, ReadOnlyMemory<byte>.Empty);
}
