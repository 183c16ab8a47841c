namespace Actors.Wal.Tests.Support;

/// <summary>
/// The entry logs' layout as <see cref="FaultInjectingFileSystem"/> (shared with Actors.Wal.Tests) needs it: they have no
/// event-log segments and no spares, so neither the torn record write nor the zero-fill gate applies to their files.
/// </summary>
internal sealed partial class FaultInjectingFileSystem
{
    private static partial bool IsSegmentRecordArea(string path, long offset) => false;

    private static partial bool IsSpareRecordArea(string path, long offset) => false;
}
