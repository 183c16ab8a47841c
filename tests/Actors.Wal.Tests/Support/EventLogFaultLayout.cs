using Actors.Wal.Format;

namespace Actors.Wal.Tests.Support;

/// <summary>The event log's file layout as <see cref="FaultInjectingFileSystem"/> needs it: <c>.wal</c> segments and <c>.spare</c> files after their header.</summary>
internal static class EventLogFaultLayout
{
    /// <summary>The layout.</summary>
    public static FaultInjectionLayout Instance { get; } = new(
        static (path, offset) => offset >= SegmentHeader.Size && path.Contains(".wal", StringComparison.Ordinal),
        static (path, offset) => offset >= SegmentHeader.Size && path.EndsWith(".spare", StringComparison.Ordinal));
}
