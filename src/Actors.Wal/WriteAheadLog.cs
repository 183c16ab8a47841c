namespace Actors.Wal;

/// <summary>
/// The file-backed <see cref="IEventLog"/>: many streams in shared, CRC-framed segment files with group commit.
/// Open with <c>OpenAsync</c>.
/// </summary>
public sealed partial class WriteAheadLog
{
}
