namespace Actors.Persistence.Wal;

/// <summary>What a write-ahead-log store keeps of a stream's history once a checkpoint covers it.</summary>
/// <remarks>
/// The store's policy (<see cref="WriteAheadLogStoreOptions.EventHistory"/>) applies to every stream of its log (journals and
/// persistent states alike) unless the grain class chooses its own with <see cref="WriteAheadLogAttribute.EventHistory"/>.
/// Give write-heavy persistent states whose history nobody reads a store with <see cref="ReclaimAfterCheckpoint"/>.
/// </remarks>
public enum EventHistoryPolicy
{
    /// <summary>
    /// Keep every event (the default): <c>RetrieveConfirmedEvents(0, Version)</c> works for the grain's whole life, unless
    /// the grain erased part of it (<c>EraseConfirmedEvents</c>); checkpoints only shorten activation. Space is reclaimed
    /// from deleted streams, erased events and cleared states only (compaction copies a grain's whole history forward).
    /// </summary>
    KeepAll = 0,

    /// <summary>
    /// Events covered by a durable checkpoint become reclaimable, so the log stays about as large as the live state.
    /// Reading reclaimed events throws <see cref="Journaling.EventHistoryUnavailableException"/> naming this policy.
    /// </summary>
    ReclaimAfterCheckpoint = 1,

    /// <summary>
    /// Keep the events a checkpoint covers for <see cref="WriteAheadLogStoreOptions.HistoryDuration"/> after they were
    /// appended (events after a grain's newest checkpoint are always kept): compaction leaves older ones out once the
    /// segment holding them is that old. Reading them then throws <see cref="Journaling.EventHistoryUnavailableException"/>.
    /// </summary>
    KeepFor = 2,

    /// <summary>
    /// Keep, of the events a checkpoint covers, those of the grain's newest <see cref="WriteAheadLogStoreOptions.HistoryVersions"/>
    /// versions (events after the newest checkpoint are always kept): compaction leaves older ones out once the segment
    /// holding them is older than the engine's <c>HistoryTrimAge</c> (one hour by default). Reading them then throws
    /// <see cref="Journaling.EventHistoryUnavailableException"/>.
    /// </summary>
    KeepLastVersions = 3,
}
