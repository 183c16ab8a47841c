namespace Actors.Streams;

/// <summary>What a stream provider keeps of a stream's events.</summary>
public enum StreamRetention
{
    /// <summary>Every event stays (any token can be rewound to); the log grows with the streams.</summary>
    KeepAll = 0,

    /// <summary>
    /// Events every subscription acknowledged become reclaimable (a retention checkpoint of the queue, every
    /// <see cref="StreamProviderOptions.TrimEveryEvents"/> events). The space is freed when the store reclaims
    /// checkpointed events (<c>EventHistory = ReclaimAfterCheckpoint</c>); rewinding before that point then fails with
    /// <see cref="StreamRewindException"/>.
    /// </summary>
    UntilDelivered = 1,
}
