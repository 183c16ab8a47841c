using Actors.Storage;

namespace Actors.Persistence.Wal;

/// <summary>
/// Opts a grain class into write-ahead logging: its journal (for a <c>JournaledGrain</c>) and, by default, its
/// <c>[PersistentState]</c> states live in the grain's own stream of the named store's log.
/// </summary>
/// <remarks>
/// Without <see cref="StorageProviderAttribute.StoreName"/> the default store (<see cref="StorageNames.Default"/>) is
/// used. The checkpoint settings override the store's defaults for this grain class's journal; a negative value (the
/// default) means "use the store's setting". Persistent states always use the store's checkpoint defaults.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class WriteAheadLogAttribute : StorageProviderAttribute
{
    /// <summary>Checkpoint after this many events; 0 disables the trigger; negative (default) uses the store's setting.</summary>
    public int CheckpointEveryEvents { get; init; } = -1;

    /// <summary>Checkpoint after this many event bytes; 0 disables the trigger; negative (default) uses the store's setting.</summary>
    public long CheckpointEveryBytes { get; init; } = -1;
}
