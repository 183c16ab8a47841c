namespace Actors.Wal.Format;

/// <summary>
/// A record's address in the log packed into 64 bits: the segment id in the high 32 bits and the byte offset
/// within the segment file in the low 32 bits. <see cref="None"/> (-1) means "no record".
/// </summary>
internal static class LogPosition
{
    /// <summary>No record.</summary>
    public const long None = -1;

    /// <summary>Packs a segment id and an offset.</summary>
    public static long Create(uint segmentId, long offset) => ((long)segmentId << 32) | (uint)offset;

    /// <summary>The segment id of a position.</summary>
    public static uint Segment(long position) => (uint)((ulong)position >> 32);

    /// <summary>The byte offset of a position within its segment file.</summary>
    public static long Offset(long position) => (uint)position;

    /// <summary>A readable form, e.g. <c>3:4096</c>.</summary>
    public static string Format(long position) => position == None ? "none" : $"{Segment(position)}:{Offset(position)}";
}
