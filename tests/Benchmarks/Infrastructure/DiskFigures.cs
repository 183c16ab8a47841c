namespace Actors.Benchmarks.Infrastructure;

/// <summary>The disk's sequential durable write bandwidth, measured once per run.</summary>
/// <param name="SequentialBytesPerSecond">
/// Sequential writes of <paramref name="ChunkBytes"/>, each followed by fdatasync, into a file in
/// <paramref name="FileState"/>: bytes per second (syncs included).
/// </param>
/// <param name="SequentialBytes">How many bytes that measurement wrote.</param>
/// <param name="ChunkBytes">Bytes per write + fdatasync (what one group commit of 256 writers x 1 KiB holds).</param>
/// <param name="FileState">The state of the blocks written (the engine's segments are in the same one).</param>
internal sealed record DiskFigures(double SequentialBytesPerSecond, long SequentialBytes, int ChunkBytes, FileState FileState);
