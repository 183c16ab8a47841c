namespace Actors.Orleans;

/// <summary>
/// A grain's provider holds nothing for it while the stream of another configured write-ahead-log provider holds the
/// same grain's data: the grain class moved to another provider (for example from <c>[WriteAheadLog]</c> to the silo's
/// default, on the log or not). The grain does not activate with an empty state instead; nothing stored is changed.
/// </summary>
public sealed class GrainDataUnderAnotherProviderException : WriteAheadLogProviderException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="what">The grain and its state or events.</param>
    /// <param name="streamId">The grain's stream under the provider that read it (empty), or where it was read when that provider is not on the log.</param>
    /// <param name="storedStreamId">The stream of the other provider that holds the grain's data.</param>
    public GrainDataUnderAnotherProviderException(string what, string streamId, string storedStreamId)
        : base(
            $"Cannot read {what}: its provider holds nothing for it ('{streamId}'), while stream '{storedStreamId}' of a configured write-ahead-log provider " +
            "holds the same grain's data: the grain class moved to another provider. Nothing was defaulted or changed. Move the class back to the " +
            "provider that stored it, or clear its data there to start it empty under the new one.",
            null)
    {
        ExceptionFacts.Set(this, nameof(StreamId), streamId);
        ExceptionFacts.Set(this, nameof(StoredStreamId), storedStreamId);
    }

    /// <summary>The grain's stream under the provider that read it (empty), or where it was read when that provider is not on the log.</summary>
    public string StreamId => ExceptionFacts.String(this, nameof(StreamId));

    /// <summary>The stream of the other provider that holds the grain's data.</summary>
    public string StoredStreamId => ExceptionFacts.String(this, nameof(StoredStreamId));
}
