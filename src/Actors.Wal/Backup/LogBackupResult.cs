namespace Actors.Wal;

/// <summary>What <see cref="LogBackup.Backup"/> copied.</summary>
/// <param name="Directory">The backup directory.</param>
/// <param name="Segments">Segments copied.</param>
/// <param name="Bytes">Bytes of complete records copied (segment headers included).</param>
/// <param name="LastLsn">The newest LSN in the backup: every record acknowledged before the backup started is in it, and
/// it may hold later ones up to this LSN.</param>
/// <param name="Attempts">Copies made (more than one when the log deleted segments during a copy).</param>
public sealed record LogBackupResult(string Directory, int Segments, long Bytes, long LastLsn, int Attempts);
