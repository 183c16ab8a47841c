using Actors.Runtime;

namespace Actors.Streams;

/// <summary>What subscribers' <see cref="IAsyncObserver{T}.OnErrorAsync"/> receives when a producer called <see cref="IAsyncObserver{T}.OnErrorAsync"/> on the stream.</summary>
[GenerateSerializer]
public sealed class StreamProducerErrorException : StreamException
{
    /// <summary>Creates the exception.</summary>
    public StreamProducerErrorException(string providerName, StreamId streamId, string producerErrorType, string producerMessage)
        : base(providerName, streamId, $"The producer of stream '{streamId}' (provider '{providerName}') reported {producerErrorType}: {producerMessage}")
    {
        ProducerErrorType = producerErrorType;
        ProducerMessage = producerMessage;
    }

    /// <summary>The full name of the exception type the producer reported.</summary>
    [Id(0)]
    public string ProducerErrorType { get; }

    /// <summary>The producer's exception message.</summary>
    [Id(1)]
    public string ProducerMessage { get; }
}
