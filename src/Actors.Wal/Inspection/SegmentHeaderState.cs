namespace Actors.Wal.Inspection;

/// <summary>What reading a segment file's header found.</summary>
public enum SegmentHeaderState
{
    /// <summary>A valid header this build can read.</summary>
    Ok,

    /// <summary>All zero or empty: the file was created but its header never reached the disk.</summary>
    Empty,

    /// <summary>Shorter than a header but not all zero.</summary>
    Truncated,

    /// <summary>The magic number is wrong: not a segment file, or damaged.</summary>
    BadMagic,

    /// <summary>The header checksum does not match.</summary>
    BadChecksum,

    /// <summary>Valid, but written by a newer, incompatible format version.</summary>
    UnsupportedVersion,
}
