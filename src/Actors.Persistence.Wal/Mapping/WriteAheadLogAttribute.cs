using Actors.Providers;
using Actors.Storage;

namespace Actors.Persistence.Wal;

/// <summary>
/// Tunes how a grain class uses a write-ahead-log store: the checkpoint policy of its journal, and optionally which
/// store (a shorthand for <see cref="StorageProviderAttribute"/>).
/// </summary>
/// <remarks>
/// <para>It is not the opt-in: a journaled grain, a <see cref="Grain{TState}"/> or a persistent state that names no
/// store uses the default store (<see cref="StorageNames.Default"/>, for example one added with
/// <c>AddWriteAheadLogAsDefault</c>) with or without this attribute, and fails to activate when none is configured.
/// Beside <see cref="StorageProviderAttribute"/> or <see cref="LogConsistencyProviderAttribute"/> it only tunes
/// options; if it names a store too, it must be the one <see cref="StorageProviderAttribute"/> names.</para>
/// <para>The checkpoint settings override the store's defaults for this grain class's journal; a negative value (the
/// default) means "use the store's setting". Persistent states always use the store's checkpoint defaults.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class WriteAheadLogAttribute : GrainStoreAttribute
{
    /// <summary>Checkpoint after this many events; 0 disables the trigger; negative (default) uses the store's setting.</summary>
    public int CheckpointEveryEvents { get; init; } = -1;

    /// <summary>Checkpoint after this many event bytes; 0 disables the trigger; negative (default) uses the store's setting.</summary>
    public long CheckpointEveryBytes { get; init; } = -1;
}
