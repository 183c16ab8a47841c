namespace Actors.Wal;

/// <summary>
/// Where a point-in-time restore (<see cref="LogBackup.RestoreToPointAsync"/>) stops: the restored log holds every record
/// up to an LSN or a time, and nothing after it.
/// </summary>
public readonly record struct RestorePoint
{
    private RestorePoint(long? lsn, DateTimeOffset? time)
    {
        Lsn = lsn;
        Time = time;
    }

    /// <summary>The newest LSN to keep (inclusive), or null.</summary>
    public long? Lsn { get; }

    /// <summary>The latest record time to keep (inclusive: records appended at or before it), or null.</summary>
    public DateTimeOffset? Time { get; }

    /// <summary>Keeps the records up to <paramref name="lsn"/> (inclusive). A batch of events that straddles it is left out whole.</summary>
    public static RestorePoint ToLsn(long lsn)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lsn);
        return new RestorePoint(lsn, null);
    }

    /// <summary>Keeps the records appended at or before <paramref name="time"/>.</summary>
    public static RestorePoint ToTime(DateTimeOffset time) => new(null, time);

    /// <inheritdoc />
    public override string ToString() => Lsn is { } lsn ? $"LSN {lsn}" : $"time {Time!.Value.ToUniversalTime():O}";
}
