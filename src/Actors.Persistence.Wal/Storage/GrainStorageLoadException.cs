namespace Actors.Persistence.Wal;

/// <summary>
/// A grain's stream could not be read or replayed, so the grain cannot be activated. Names the grain, the store, the
/// stream version where it failed and the cause (the inner exception). The stored data was not modified.
/// </summary>
[GenerateSerializer]
public sealed class GrainStorageLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GrainStorageLoadException(GrainId grainId, string storeName, long version, string cause, Exception? innerException = null)
        : base($"Cannot activate grain '{grainId}': replaying its stream from write-ahead-log store '{storeName}' failed at version {version}: {cause} The stored data was not modified.", innerException)
    {
        GrainId = grainId;
        StoreName = storeName;
        Version = version;
    }

    /// <summary>The grain.</summary>
    [Id(0)]
    public GrainId GrainId { get; }

    /// <summary>The store.</summary>
    [Id(1)]
    public string StoreName { get; }

    /// <summary>The stream version at which loading failed (0 when reading the stream itself failed).</summary>
    [Id(2)]
    public long Version { get; }
}
