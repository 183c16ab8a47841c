using Actors.Wal.Format;

namespace Actors.Wal.Segments;

/// <summary>A record (or damage) found while scanning a segment.</summary>
/// <param name="Offset">The byte offset within the segment file.</param>
/// <param name="Header">The decoded header (default when damaged).</param>
/// <param name="Bytes">The whole record; a view valid until the next call on the reader.</param>
/// <param name="Damage">Why the bytes at <paramref name="Offset"/> are not a valid record, or null.</param>
internal readonly record struct ScannedRecord(long Offset, RecordHeader Header, ReadOnlyMemory<byte> Bytes, string? Damage);
