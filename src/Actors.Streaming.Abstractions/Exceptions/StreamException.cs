using Actors.Runtime;

namespace Actors.Streams;

/// <summary>The root of the streaming errors: every one names the provider and the stream.</summary>
[GenerateSerializer]
public abstract class StreamException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected StreamException(string providerName, StreamId streamId, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ProviderName = providerName;
        StreamId = streamId;
    }

    /// <summary>The stream provider.</summary>
    [Id(0)]
    public string ProviderName { get; }

    /// <summary>The stream.</summary>
    [Id(1)]
    public StreamId StreamId { get; }
}
