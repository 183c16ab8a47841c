namespace Actors.Wal;

/// <summary>What a space-management pass (<see cref="WriteAheadLog.CompactAsync"/>) reclaimed.</summary>
/// <param name="SegmentsDeleted">Sealed segments deleted because none of their records was still needed.</param>
/// <param name="SegmentsCompacted">Mostly-dead segments whose live records were copied forward.</param>
/// <param name="StreamsRelocated">Streams whose live records were copied forward.</param>
/// <param name="BytesFreed">Bytes of segment data deleted from disk.</param>
public sealed record CompactionResult(int SegmentsDeleted, int SegmentsCompacted, int StreamsRelocated, long BytesFreed);
