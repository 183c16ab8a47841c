namespace Actors.Wal;

/// <summary>What <see cref="IEventLog.DeleteEventsToAsync"/> erased.</summary>
/// <param name="StreamId">The stream.</param>
/// <param name="ErasedToVersion">Events up to this version are unreadable from now on.</param>
/// <param name="EventsErased">Erased events that were still stored (0 when there were none left).</param>
/// <param name="SegmentsToCompact">Segments of the file-backed log that still hold the erased bytes until compaction
/// copies their other records forward and deletes them (the background erase pass, after
/// <see cref="WriteAheadLogOptions.EraseCompactionQuietPeriod"/> without erases; <see cref="WriteAheadLog.CompactAsync"/>
/// runs one now); the active segment is among them until it is sealed. Empty for the in-memory log, which forgets the
/// bytes at once.</param>
public sealed record EraseResult(string StreamId, long ErasedToVersion, long EventsErased, IReadOnlyList<uint> SegmentsToCompact);
