namespace Actors.Wal;

/// <summary>What <see cref="WriteAheadLog.DeleteEventsToAsync"/> erased.</summary>
/// <param name="StreamId">The stream.</param>
/// <param name="ErasedToVersion">Events up to this version are unreadable from now on.</param>
/// <param name="EventsErased">Erased events that were still stored (0 when there were none left).</param>
/// <param name="SegmentsToCompact">Segments that still hold the erased bytes until compaction copies their other records
/// forward and deletes them (the next space pass; <see cref="WriteAheadLog.CompactAsync"/> runs one now). The active
/// segment is among them until it is sealed.</param>
public sealed record EraseResult(string StreamId, long ErasedToVersion, long EventsErased, IReadOnlyList<uint> SegmentsToCompact);
