using Actors.Wal.Format;

namespace Actors.Wal.Tests.Support;

/// <summary>The event log's file layout as <see cref="FaultInjectingFileSystem"/> needs it: <c>.wal</c> segments and <c>.spare</c> files after their header.</summary>
internal sealed partial class FaultInjectingFileSystem
{
    private static partial bool IsSegmentRecordArea(string path, long offset)
        => offset >= SegmentHeader.Size && path.Contains(".wal", StringComparison.Ordinal);

    private static partial bool IsSpareRecordArea(string path, long offset)
        => offset >= SegmentHeader.Size && path.EndsWith(".spare", StringComparison.Ordinal);
}
