using Actors.Runtime;

namespace Actors.Streams;

/// <summary>
/// Produced items were refused before anything was stored (<em>rejected</em>): an item could not be serialized, is
/// larger than the provider accepts, or the log refused the request. The stream is unchanged; the producer may go on.
/// </summary>
[GenerateSerializer]
public sealed class StreamItemRejectedException : StreamException
{
    /// <summary>Creates the exception.</summary>
    public StreamItemRejectedException(string providerName, StreamId streamId, Type itemType, string detail, Exception? innerException = null)
        : base(providerName, streamId, $"Stream '{streamId}' of provider '{providerName}' refused an item of type '{itemType.FullName}': {detail}. Nothing was stored.", innerException)
    {
        ItemType = itemType;
    }

    /// <summary>The type of the refused item.</summary>
    [Id(0)]
    public Type ItemType { get; }
}
