namespace Actors.Streams;

/// <summary>Options of one stream provider (section <c>Actors:Streams:{name}</c>).</summary>
public sealed class StreamProviderOptions
{
    /// <summary>The configuration section of provider <c>{name}</c>: <c>Actors:Streams:{name}</c>.</summary>
    public const string SectionPrefix = "Actors:Streams";

    /// <summary>Default <see cref="MaxBatchSize"/>.</summary>
    public const int DefaultMaxBatchSize = 128;

    /// <summary>Default <see cref="MaxDeliveryAttempts"/>.</summary>
    public const int DefaultMaxDeliveryAttempts = 5;

    /// <summary>
    /// The write-ahead-log store whose log holds the streams (write-ahead-log provider only; default <c>Default</c>,
    /// so stream events share group commits with grain state).
    /// </summary>
    public string StoreName { get; set; } = Actors.Storage.StorageNames.Default;

    /// <summary>
    /// The most events one delivery to a subscriber carries (default 128). With one delivery in flight per subscription,
    /// this bounds the memory a slow subscriber can hold: the rest stays in the log until it catches up.
    /// </summary>
    public int MaxBatchSize { get; set; } = DefaultMaxBatchSize;

    /// <summary>
    /// How many times an event the observer throws on is delivered before it is reported to the observer's
    /// <c>OnErrorAsync</c> as a <see cref="StreamDeliveryException"/> and passed (default 5).
    /// </summary>
    /// <remarks>
    /// Only deliveries that reached the subscriber and failed there count. A subscriber that cannot be reached (its silo
    /// or partition is down or moving, a gateway client is not connected or does not pull) uses up no attempt: its events
    /// wait in the log, retried every <see cref="DeliveryRetryDelay"/>, and are never passed because of it (a gateway
    /// client's subscription is dropped after <see cref="ClientSubscriptionTimeout"/> instead). A grain that has not
    /// resumed its subscription uses up none either (retried every <see cref="MaxDeliveryRetryDelay"/>).
    /// </remarks>
    public int MaxDeliveryAttempts { get; set; } = DefaultMaxDeliveryAttempts;

    /// <summary>The wait before the first retry of a failed delivery (default 1 s); doubled per attempt up to <see cref="MaxDeliveryRetryDelay"/>.</summary>
    public TimeSpan DeliveryRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between retries (default 30 s); also the retry period for a subscription whose grain has not resumed it.</summary>
    public TimeSpan MaxDeliveryRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What is kept of delivered events (default <see cref="StreamRetention.KeepAll"/>).</summary>
    public StreamRetention Retention { get; set; } = StreamRetention.KeepAll;

    /// <summary>Under <see cref="StreamRetention.UntilDelivered"/>, how many acknowledged events accumulate before a retention checkpoint (default 256).</summary>
    public int TrimEveryEvents { get; set; } = 256;

    /// <summary>
    /// How long a gateway client's subscription lives with no client pulling from it (default 10 minutes): after that,
    /// while events wait for it, it is dropped (logged, counted in <c>actors.streams.client_subscriptions.dropped</c>), so
    /// a client that is gone for good cannot hold a cursor, and the log's retention, forever. A client that comes back
    /// later gets a <see cref="StreamSubscriptionNotFoundException"/> and subscribes again from the token it stored. The
    /// bound restarts when the owner of the stream restarts or changes.
    /// </summary>
    public TimeSpan ClientSubscriptionTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a gateway client's subscription has to take and acknowledge a batch offered to it (default 30 s); past
    /// it, the client counts as unreachable (no attempt used) and the batch is offered again later.
    /// </summary>
    public TimeSpan ClientAckTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a gateway client's pull waits for events before it returns empty and the client pulls again (default 10 s).</summary>
    public TimeSpan ClientPullWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many subscription-table events are appended between two checkpoints of the table (default 256).</summary>
    public int TableCheckpointEveryEvents { get; set; } = 256;
}
