using Actors.Persistence.Wal.Diagnostics;
using Actors.Storage;

namespace Actors.Persistence.Wal;

/// <summary>Creates the exceptions the runtime's storage contract expects for stale tags and rejections.</summary>
internal static class StorageErrors
{
    public static InconsistentStateException StaleETag(GrainId grainId, string storeName, string stateName, string? storedETag, string? presentedETag) =>
        new(
            $"Persistent state '{stateName}' of grain '{grainId}' in store '{storeName}' has tag '{storedETag ?? "(no record)"}', but the write presented '{presentedETag ?? "(no record)"}'. Nothing was stored. Read the state again before writing.",
            storedETag,
            presentedETag);

    public static StateRejectedException Rejected(GrainId grainId, string storeName, string stateName, string detail, Exception? inner)
    {
        PersistenceInstruments.Rejected(storeName);
        return new($"Persistent state '{stateName}' of grain '{grainId}' in store '{storeName}' was rejected: {detail}", inner);
    }
}
