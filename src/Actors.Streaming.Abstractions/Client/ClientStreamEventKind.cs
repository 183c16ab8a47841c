namespace Actors.Streams.Client;

/// <summary>What a <see cref="ClientStreamEvent"/> is.</summary>
public enum ClientStreamEventKind
{
    /// <summary>An item for <c>OnNextAsync</c>.</summary>
    Item = 1,

    /// <summary>The producer completed the stream (<c>OnCompletedAsync</c>).</summary>
    Completed = 2,

    /// <summary>The producer reported an error (<c>OnErrorAsync</c> with a <see cref="StreamProducerErrorException"/>).</summary>
    ProducerError = 3,

    /// <summary>The owner could not decode the stored item (<c>OnErrorAsync</c> with a <see cref="StreamDeliveryException"/>).</summary>
    Undeliverable = 4,
}
