namespace Actors.Wal;

/// <summary>
/// Where a point-in-time read stops: the latest state, a version (inclusive), or a timestamp (inclusive:
/// records appended at or before it).
/// </summary>
public readonly record struct ReadBound
{
    private ReadBound(long? toVersion, DateTimeOffset? asOf)
    {
        ToVersion = toVersion;
        AsOf = asOf;
    }

    /// <summary>Read up to the stream's latest version.</summary>
    public static ReadBound Latest => default;

    /// <summary>The highest version to include, or null.</summary>
    public long? ToVersion { get; }

    /// <summary>The latest append time to include, or null.</summary>
    public DateTimeOffset? AsOf { get; }

    /// <summary>True when neither a version nor a timestamp bounds the read.</summary>
    public bool IsLatest => ToVersion is null && AsOf is null;

    /// <summary>Reads the state as of <paramref name="version"/> (inclusive).</summary>
    public static ReadBound AtVersion(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        return new ReadBound(version, null);
    }

    /// <summary>Reads the state as of <paramref name="timestamp"/> (records appended at or before it).</summary>
    public static ReadBound AtTime(DateTimeOffset timestamp) => new(null, timestamp);
}
