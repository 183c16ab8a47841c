using Actors.Runtime;
using Actors.Streams.Delivery;

namespace Actors.Streams;

/// <summary>One subscription of a loaded stream: its identity, cursor and delivery loop state (guarded by the stream's lock).</summary>
internal sealed class SubscriptionState(Guid id, GrainId grainId, bool isImplicit, long cursor)
{
    public Guid Id { get; } = id;

    public GrainId GrainId { get; } = grainId;

    public bool IsImplicit { get; } = isImplicit;

    /// <summary>Where a gateway client's subscription takes its batches (null for a grain's).</summary>
    public ClientSink? Sink { get; } = ClientSubscribers.IsClient(grainId) ? new ClientSink() : null;

    /// <summary>The last sequence number the subscriber acknowledged.</summary>
    public long Cursor { get; set; } = cursor;

    /// <summary>The latest cursor recorded durably.</summary>
    public long DurableCursor { get; set; }

    /// <summary>Whether the subscription's record is durable (checkpoints include only durable subscriptions).</summary>
    public bool IsDurable { get; set; }

    /// <summary>Whether a delivery loop runs for it.</summary>
    public bool Running { get; set; }

    /// <summary>Set by unsubscribe: the loop stops and nothing more is delivered.</summary>
    public bool Removed { get; set; }

    /// <summary>Bumped by a rewind, so a delivery in flight does not move the cursor past the rewind.</summary>
    public int Generation { get; set; }

    /// <summary>
    /// Up to this sequence number, deliver one event at a time: a gateway client could not read a batch ending here (an
    /// item its serializer cannot decode), so its events go one by one until the one it cannot read is found and reported.
    /// Used by the subscription's delivery loop only.
    /// </summary>
    public long SingleEventsThrough { get; set; }

    /// <summary>The subscription's open read of the queue (used by its delivery loop only).</summary>
    public QueueReader Queue { get; } = new();
}
