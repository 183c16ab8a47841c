namespace Actors.Persistence.Wal;

/// <summary>
/// A write of a grain's events or state <em>failed</em>: an I/O error, a closed log or a version conflict, so the
/// outcome is unknown. The grain must not serve further requests from its in-memory state: it deactivates, and the
/// next activation replays what the log actually holds.
/// </summary>
[GenerateSerializer]
public sealed class GrainStorageFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GrainStorageFailedException(GrainId grainId, string storeName, long expectedVersion, Exception innerException)
        : base($"Writing grain '{grainId}' to write-ahead-log store '{storeName}' (expected stream version {expectedVersion}) failed; the outcome is unknown and the grain will reload from the log: {innerException?.Message}", innerException)
    {
        GrainId = grainId;
        StoreName = storeName;
        ExpectedVersion = expectedVersion;
    }

    /// <summary>The grain.</summary>
    [Id(0)]
    public GrainId GrainId { get; }

    /// <summary>The store.</summary>
    [Id(1)]
    public string StoreName { get; }

    /// <summary>The stream version the write expected.</summary>
    [Id(2)]
    public long ExpectedVersion { get; }
}
