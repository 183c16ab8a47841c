namespace Actors.Wal.Segments;

/// <summary>What <see cref="SegmentReader.ReadAt"/> found at an offset.</summary>
internal enum ScanStatus
{
    /// <summary>A complete record whose CRC matches.</summary>
    Record,

    /// <summary>A zero length field followed only by zeros: the normal end of the records.</summary>
    End,

    /// <summary>The offset is the end of the file.</summary>
    EndOfFile,

    /// <summary>Bytes that are not a valid record (see the reason).</summary>
    Damaged,
}
