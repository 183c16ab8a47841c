namespace Actors.Orleans;

/// <summary>
/// <c>ClearStateAsync</c> stored the cleared state, but erasing the state's older records failed: the grain's state is
/// cleared (reads return it cleared, with <see cref="ClearedVersion"/> as the ETag), while its earlier values are still in
/// the log's files. Clearing again erases them.
/// </summary>
public sealed class ClearedStateNotErasedException : WriteAheadLogProviderException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="what">The grain and its state.</param>
    /// <param name="streamId">The log stream.</param>
    /// <param name="clearedVersion">The version of the stored cleared record (the state's ETag now).</param>
    /// <param name="innerException">The engine's error from the erasure.</param>
    public ClearedStateNotErasedException(string what, string streamId, long clearedVersion, Exception innerException)
        : base($"The {what} is cleared (stream '{streamId}', version {clearedVersion}), but erasing its older records failed: {innerException.Message} They stay in the log's files until ClearStateAsync runs again.", innerException)
    {
        ExceptionFacts.Set(this, nameof(StreamId), streamId);
        ExceptionFacts.Set(this, nameof(ClearedVersion), clearedVersion);
    }

    /// <summary>The log stream.</summary>
    public string StreamId => ExceptionFacts.String(this, nameof(StreamId));

    /// <summary>The version of the stored cleared record (the state's ETag now).</summary>
    public long ClearedVersion => ExceptionFacts.Int64(this, nameof(ClearedVersion));
}
