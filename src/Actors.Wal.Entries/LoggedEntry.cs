namespace Actors.Wal.Entries;

/// <summary>One entry of an <see cref="EntryLog"/> as read back.</summary>
/// <param name="Lsn">Its position: 1 for the first entry, then consecutive.</param>
/// <param name="Epoch">The epoch it was appended in (never decreases along the log).</param>
/// <param name="Payload">Its bytes (owned by the caller).</param>
public readonly record struct LoggedEntry(long Lsn, long Epoch, ReadOnlyMemory<byte> Payload);
