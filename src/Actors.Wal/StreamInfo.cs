namespace Actors.Wal;

/// <summary>What the in-memory index knows about a stream.</summary>
/// <param name="Version">The stream's highest version (0 when never written); never goes back, even after deletion.</param>
/// <param name="CheckpointVersion">The version covered by the latest checkpoint, or 0.</param>
/// <param name="IsDeleted">True when the latest record of the stream is a tombstone.</param>
public readonly record struct StreamInfo(long Version, long CheckpointVersion, bool IsDeleted)
{
    /// <summary>An unknown stream.</summary>
    public static StreamInfo Empty => default;

    /// <summary>True when the stream has never been written.</summary>
    public bool IsEmpty => Version == 0 && !IsDeleted;
}
