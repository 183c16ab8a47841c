namespace Actors.Wal;

/// <summary>
/// Which checkpoints of a stream <see cref="IEventLog.DeleteCheckpointsAsync"/> deletes: those whose covered version lies
/// in [<see cref="MinVersion"/>, <see cref="MaxVersion"/>] and whose write time lies in
/// [<see cref="MinTimestamp"/>, <see cref="MaxTimestamp"/>] (every bound inclusive). The model is Akka.Persistence's
/// <c>SnapshotSelectionCriteria</c>.
/// </summary>
/// <param name="MaxVersion">The highest covered version to select (default: any).</param>
/// <param name="MaxTimestamp">The latest write time to select, or null for any.</param>
/// <param name="MinVersion">The lowest covered version to select (default: any).</param>
/// <param name="MinTimestamp">The earliest write time to select, or null for any.</param>
public sealed record CheckpointSelectionCriteria(
    long MaxVersion = long.MaxValue,
    DateTimeOffset? MaxTimestamp = null,
    long MinVersion = 0,
    DateTimeOffset? MinTimestamp = null)
{
    /// <summary>Every checkpoint of the stream.</summary>
    public static CheckpointSelectionCriteria All { get; } = new();

    /// <summary>The checkpoint that covers exactly <paramref name="version"/> (one checkpoint).</summary>
    public static CheckpointSelectionCriteria AtVersion(long version)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        return new CheckpointSelectionCriteria(version, null, version, null);
    }

    /// <summary>Every checkpoint covering at most <paramref name="version"/>.</summary>
    public static CheckpointSelectionCriteria UpToVersion(long version)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        return new CheckpointSelectionCriteria(version);
    }

    /// <summary>Every checkpoint written at or before <paramref name="timestamp"/>.</summary>
    public static CheckpointSelectionCriteria WrittenAtOrBefore(DateTimeOffset timestamp) => new(long.MaxValue, timestamp);

    /// <summary>True when a checkpoint covering <paramref name="version"/>, written at <paramref name="timestampTicks"/> (UTC ticks), is selected.</summary>
    public bool Matches(long version, long timestampTicks)
        => version >= MinVersion && version <= MaxVersion
            && (MinTimestamp is not { } min || timestampTicks >= min.UtcTicks)
            && (MaxTimestamp is not { } max || timestampTicks <= max.UtcTicks);

    /// <summary>A readable form for messages: <c>versions 1..5, written 2026-01-01T00:00:00Z..any</c>.</summary>
    public override string ToString()
        => $"versions {MinVersion}..{(MaxVersion == long.MaxValue ? "any" : MaxVersion)}, written {MinTimestamp?.ToString("O") ?? "any"}..{MaxTimestamp?.ToString("O") ?? "any"}";
}
