namespace Actors.Wal;

/// <summary>What <see cref="LogBackup.RestoreAsync"/> restored, as the restored log reports it after opening.</summary>
/// <param name="Directory">The restored log directory.</param>
/// <param name="Segments">Its segments.</param>
/// <param name="Streams">Its streams.</param>
/// <param name="LastLsn">The newest LSN it holds.</param>
public sealed record LogRestoreResult(string Directory, int Segments, long Streams, long LastLsn);
