namespace Actors.Wal;

/// <summary>
/// What a log keeps of one stream's events once a checkpoint covers them: the per-stream policy of
/// <see cref="WriteAheadLogOptions.StreamRetention"/>. Events after a stream's newest checkpoint are always kept, whatever
/// the policy, so its state stays rebuildable.
/// </summary>
/// <remarks>
/// A retaining policy (<see cref="KeepAll"/>, <see cref="KeepFor"/>, <see cref="KeepLastVersions"/>) is applied when
/// compaction copies a stream forward (a relocation); until then the stream's records stay live where they are.
/// <see cref="ReclaimAfterCheckpoint"/> also changes the liveness: the stream's checkpoint makes the records it covers dead
/// at once, as in a log that reclaims, so space passes free them without a copy or a wait. Reads of versions no longer
/// stored throw <see cref="EventsReclaimedException"/>.
/// </remarks>
public sealed record HistoryRetention
{
    private HistoryRetention(bool retainCheckpointedEvents, TimeSpan? duration, int? versions)
    {
        RetainsCheckpointedEvents = retainCheckpointedEvents;
        Duration = duration;
        Versions = versions;
    }

    /// <summary>Keep every event.</summary>
    public static HistoryRetention KeepAll { get; } = new(true, null, null);

    /// <summary>Keep only the newest checkpoint and the events after it (what a log without retained history keeps).</summary>
    public static HistoryRetention ReclaimAfterCheckpoint { get; } = new(false, null, null);

    /// <summary>
    /// False for <see cref="ReclaimAfterCheckpoint"/>: the stream's checkpoint supersedes the events it covers (they are dead
    /// for the space accounting at once), and a copy keeps none of them.
    /// </summary>
    public bool RetainsCheckpointedEvents { get; }

    /// <summary>With <see cref="KeepFor"/>: how long after their append covered events are kept; otherwise null.</summary>
    public TimeSpan? Duration { get; }

    /// <summary>With <see cref="KeepLastVersions"/>: how many of the stream's newest versions are kept; otherwise null.</summary>
    public int? Versions { get; }

    /// <summary>Keep the covered events appended less than <paramref name="duration"/> ago.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is not positive.</exception>
    public static HistoryRetention KeepFor(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        return new HistoryRetention(true, duration, null);
    }

    /// <summary>
    /// Keep the events of the stream's newest <paramref name="versions"/> versions (and, always, every event after its
    /// newest checkpoint): a stream at version 100 keeping 10 keeps events 91..100.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="versions"/> is below 1.</exception>
    public static HistoryRetention KeepLastVersions(int versions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(versions, 1);
        return new HistoryRetention(true, null, versions);
    }

    /// <summary>The log-wide policy the retention options describe.</summary>
    internal static HistoryRetention From(WriteAheadLogOptions options)
        => !options.RetainCheckpointedEvents ? ReclaimAfterCheckpoint
            : options.RetainHistoryFor is { } duration ? KeepFor(duration)
            : options.RetainLastVersions is { } versions ? KeepLastVersions(versions)
            : KeepAll;

    /// <summary>True when a copy may leave covered events out (every policy but <see cref="KeepAll"/>).</summary>
    internal bool Trims => !RetainsCheckpointedEvents || Duration is not null || Versions is not null;

    /// <inheritdoc />
    public override string ToString()
        => !RetainsCheckpointedEvents ? nameof(ReclaimAfterCheckpoint)
            : Duration is { } d ? $"{nameof(KeepFor)}({d})"
            : Versions is { } v ? $"{nameof(KeepLastVersions)}({v})"
            : nameof(KeepAll);
}
