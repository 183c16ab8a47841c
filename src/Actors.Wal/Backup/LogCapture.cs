namespace Actors.Wal;

/// <summary>
/// A log read into memory by <see cref="LogBackup.Capture"/>: the files of a backup directory (each live segment cut after
/// its last complete record, the pending erasure scans when there are any, and the manifest), never written anywhere.
/// Written into an empty directory under their names, they are a backup that <see cref="LogBackup.RestoreAsync"/> or
/// <c>WriteAheadLog.OpenAsync</c> opens.
/// </summary>
/// <param name="Files">The files, segments first (in id order), the manifest last.</param>
/// <param name="Segments">Segments captured.</param>
/// <param name="Bytes">Bytes of complete records captured (segment headers included).</param>
/// <param name="LastLsn">The newest LSN captured: every record acknowledged before the capture started is in it, and it
/// may hold later ones up to this LSN.</param>
/// <param name="Attempts">Copies made (more than one when the log deleted segments during a copy).</param>
public sealed record LogCapture(IReadOnlyList<LogCaptureFile> Files, int Segments, long Bytes, long LastLsn, int Attempts);

/// <summary>One file of a <see cref="LogCapture"/>.</summary>
/// <param name="Name">The file's name in a log directory (no directory part).</param>
/// <param name="Content">Its bytes.</param>
public readonly record struct LogCaptureFile(string Name, ReadOnlyMemory<byte> Content);
