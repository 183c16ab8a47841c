using Actors.Runtime;

namespace Actors.Streams;

/// <summary>
/// The provider's storage failed while producing or recording (<em>failed</em>): whether the items were stored is
/// unknown (for example an fsync failed). Producing the same items again may duplicate them; consumers deduplicate
/// by token.
/// </summary>
[GenerateSerializer]
public sealed class StreamStorageFailedException : StreamException
{
    /// <summary>Creates the exception.</summary>
    public StreamStorageFailedException(string providerName, StreamId streamId, string operation, Exception innerException)
        : base(providerName, streamId, $"Stream '{streamId}' of provider '{providerName}': {operation} failed in storage; the outcome is unknown: {innerException.Message}", innerException)
    {
    }
}
