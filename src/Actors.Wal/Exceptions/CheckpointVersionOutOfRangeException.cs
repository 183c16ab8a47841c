namespace Actors.Wal;

/// <summary>
/// A checkpoint must cover a version between the stream's latest checkpoint (or one past its deletion) and its current
/// version. Nothing was stored.
/// </summary>
public sealed class CheckpointVersionOutOfRangeException : RequestRejectedException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointVersionOutOfRangeException(string streamId, long version, long minimumVersion, long maximumVersion, string reason)
        : base(streamId, $"A checkpoint of stream '{streamId}' at version {version} is out of range: {reason} (allowed: {minimumVersion}..{maximumVersion}). Nothing was written.")
    {
        Version = version;
        MinimumVersion = minimumVersion;
        MaximumVersion = maximumVersion;
    }

    /// <summary>The version the checkpoint would have covered.</summary>
    public long Version { get; }

    /// <summary>The lowest version a checkpoint may cover now.</summary>
    public long MinimumVersion { get; }

    /// <summary>The highest version a checkpoint may cover now (the stream's version; 0 for an unknown stream).</summary>
    public long MaximumVersion { get; }
}
