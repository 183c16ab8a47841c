namespace Actors.Orleans;

/// <summary>What the write-ahead log keeps of a journaled grain's events once a checkpoint covers them.</summary>
public enum WriteAheadLogHistory
{
    /// <summary>The provider's option decides (its default is <see cref="KeepAll"/>).</summary>
    ProviderDefault = 0,

    /// <summary>
    /// Keep every event: <c>RetrieveConfirmedEvents(0, Version)</c> works for the grain's whole life; checkpoints only
    /// shorten activation.
    /// </summary>
    KeepAll = 1,

    /// <summary>
    /// Events covered by a durable checkpoint become reclaimable, so the log stays about as large as the live state.
    /// <c>RetrieveConfirmedEvents</c> of reclaimed versions throws an error that names this policy.
    /// </summary>
    ReclaimAfterCheckpoint = 2,
}
