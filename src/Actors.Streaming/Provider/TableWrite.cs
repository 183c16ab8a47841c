namespace Actors.Streams;

/// <summary>A durable change of a stream's subscription table, waiting for the stream's writer.</summary>
internal sealed class TableWrite(byte[] record, SubscriptionState? subscription = null)
{
    /// <summary>The subscription this write creates, marked durable once it is stored.</summary>
    public SubscriptionState? Subscription { get; } = subscription;

    public byte[] Record { get; } = record;

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
