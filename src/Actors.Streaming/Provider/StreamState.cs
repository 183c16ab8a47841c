using Actors.Runtime;

namespace Actors.Streams;

/// <summary>
/// One stream as its provider knows it: the queue's version, the subscriptions and their cursors, and the writer of its
/// subscription table. Loaded from the log on first use.
/// </summary>
/// <remarks>Fields are guarded by <see cref="Sync"/>; <see cref="LoadGate"/> serializes the load.</remarks>
internal sealed class StreamState(StreamId streamId, string queueLogId, string tableLogId, int partition)
{
    public object Sync { get; } = new();

    public SemaphoreSlim LoadGate { get; } = new(1, 1);

    public StreamId StreamId { get; } = streamId;

    public string QueueLogId { get; } = queueLogId;

    public string TableLogId { get; } = tableLogId;

    /// <summary>The partition holding the stream's log streams in a cluster; -1 on a single silo.</summary>
    public int Partition { get; } = partition;

    /// <summary>
    /// Set when the stream's partition leaves this silo: no delivery starts and no cursor moves any more (the new
    /// owner resumes from the durable cursors); the state is dropped once its last table write is done.
    /// </summary>
    public bool Detached { get; set; }

    /// <summary>Set once the stream is loaded (read without the lock on the fast path).</summary>
    public bool LoadedFlag;

    /// <summary>The queue's latest sequence number known to this silo (acknowledged appends only).</summary>
    public long QueueVersion { get; set; }

    /// <summary>The queue version the latest retention checkpoint covers.</summary>
    public long TrimmedThrough { get; set; }

    public Dictionary<Guid, SubscriptionState> Subscriptions { get; } = [];

    /// <summary>The subscription table stream's version (the writer's expected version).</summary>
    public long TableVersion { get; set; }

    public int TableEventsSinceCheckpoint { get; set; }

    /// <summary>Subscribe/unsubscribe records waiting for the writer.</summary>
    public List<TableWrite> PendingWrites { get; set; } = [];

    /// <summary>Cursor moves not yet durable (latest per subscription).</summary>
    public Dictionary<Guid, long> PendingCursors { get; set; } = [];

    public bool Writing { get; set; }

    /// <summary>Completed when the writer goes idle (created by someone waiting for it).</summary>
    public TaskCompletionSource? WriterIdle { get; set; }
}
