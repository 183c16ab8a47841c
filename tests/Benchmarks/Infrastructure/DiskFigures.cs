namespace Actors.Benchmarks.Infrastructure;

/// <summary>The disk's own limits, measured once per run.</summary>
/// <param name="SequentialBytesPerSecond">Sequential 1 MiB writes plus a final fsync, bytes per second.</param>
/// <param name="SequentialBytes">How many bytes that measurement wrote.</param>
/// <param name="FDataSync">Single-writer 4 KiB write + fdatasync loop.</param>
/// <param name="FSync">Single-writer 4 KiB write + fsync (RandomAccess.FlushToDisk) loop.</param>
internal sealed record DiskFigures(double SequentialBytesPerSecond, long SequentialBytes, ThroughputResult FDataSync, ThroughputResult FSync);
