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
/// <para>The history settings (<see cref="EventHistory"/> with <see cref="HistoryVersions"/> or <see cref="HistoryDuration"/>)
/// replace the store's <see cref="WriteAheadLogStoreOptions.EventHistory"/> for this class's streams (its journal and its
/// persistent states) in every write-ahead-log store it uses, for example
/// <c>[WriteAheadLog(EventHistory = EventHistoryPolicy.KeepLastVersions, HistoryVersions = 100)]</c>. They are checked at
/// silo start: a count or duration without its policy, or a policy without it, fails the start naming the class.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class WriteAheadLogAttribute : GrainStoreAttribute
{
    /// <summary>Checkpoint after this many events; 0 disables the trigger; negative (default) uses the store's setting.</summary>
    public int CheckpointEveryEvents { get; init; } = -1;

    /// <summary>Checkpoint after this many event bytes; 0 disables the trigger; negative (default) uses the store's setting.</summary>
    public long CheckpointEveryBytes { get; init; } = -1;

    /// <summary>
    /// What the store keeps of this class's history once a checkpoint covers it; replaces the store's
    /// <see cref="WriteAheadLogStoreOptions.EventHistory"/> for this class. Not set (default): the store's policy.
    /// </summary>
    public EventHistoryPolicy EventHistory
    {
        get => EventHistoryOverride ?? EventHistoryPolicy.KeepAll;
        init => EventHistoryOverride = value;
    }

    /// <summary>With <see cref="EventHistoryPolicy.KeepLastVersions"/>: how many newest versions keep their events (at least 1); 0 (default): not set.</summary>
    public int HistoryVersions { get; init; }

    /// <summary>
    /// With <see cref="EventHistoryPolicy.KeepFor"/>: how long covered events are kept, as a time span in invariant format
    /// (<c>"30.00:00:00"</c> for 30 days; an attribute cannot hold a <see cref="TimeSpan"/>). Null (default): not set.
    /// </summary>
    public string? HistoryDuration { get; init; }

    /// <summary>The class's history policy, or null when the attribute does not set one.</summary>
    internal EventHistoryPolicy? EventHistoryOverride { get; private init; }
}
