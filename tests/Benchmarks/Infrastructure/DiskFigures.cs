namespace Actors.Benchmarks.Infrastructure;

/// <summary>The disk's sequential write bandwidth, measured once per run.</summary>
/// <param name="SequentialBytesPerSecond">Sequential 1 MiB writes plus a final fsync, bytes per second (fsync included).</param>
/// <param name="SequentialBytes">How many bytes that measurement wrote.</param>
internal sealed record DiskFigures(double SequentialBytesPerSecond, long SequentialBytes);
