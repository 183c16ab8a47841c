namespace Actors.Wal;

/// <summary>What <see cref="IEventLog.DeleteCheckpointsAsync"/> deleted.</summary>
/// <param name="StreamId">The stream.</param>
/// <param name="DeletedVersions">The versions of the deleted checkpoints that were still stored, newest first (empty when none matched).</param>
/// <param name="SegmentsToCompact">Segments of the file-backed log that still hold the deleted checkpoints' bytes until
/// compaction copies their other records forward and deletes them (the background erase pass, after
/// <see cref="WriteAheadLogOptions.EraseCompactionQuietPeriod"/> without erases; <see cref="WriteAheadLog.CompactAsync"/>
/// runs one now). Empty for the in-memory log, which forgets them at once.</param>
public sealed record CheckpointDeletionResult(string StreamId, IReadOnlyList<long> DeletedVersions, IReadOnlyList<uint> SegmentsToCompact);
