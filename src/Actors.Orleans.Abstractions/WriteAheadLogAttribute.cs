using Orleans.Placement;

namespace Actors.Orleans;

/// <summary>
/// Puts a grain class's durable state on the silo's write-ahead log: its <c>Grain&lt;TState&gt;</c> state, its
/// <c>IPersistentState&lt;T&gt;</c> states that name no storage provider, and its <c>JournaledGrain</c> events, without
/// naming a provider. The silo must call <c>AddWriteAheadLog(...)</c>: the attribute is also the grain's placement
/// (<see cref="WriteAheadLogPlacement"/>), whose director only that call registers, so on a silo without it a call to
/// such a grain fails ("Could not resolve placement strategy WriteAheadLogPlacement") instead of activating the grain on
/// whatever default storage the silo has (never a volatile fallback).
/// </summary>
/// <remarks>
/// <para>Providers named through Orleans's own attributes (<c>[StorageProvider]</c>, <c>[LogConsistencyProvider]</c>,
/// <c>[PersistentState(name, storageName)]</c>) win over this attribute; the attribute decides only where Orleans would
/// take the default provider.</para>
/// <para>Being the grain's placement, the attribute cannot be combined with another placement attribute
/// (<c>[PreferLocalPlacement]</c>, <c>[RandomPlacement]</c>, ...) on the same class.</para>
/// <para>The settings tune the class on whichever write-ahead-log provider stores it; an unset setting (a negative
/// value, <see cref="WriteAheadLogHistory.ProviderDefault"/>) takes the provider's option.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class WriteAheadLogAttribute : PlacementAttribute
{
    /// <summary>Marks the class; the settings below are optional.</summary>
    public WriteAheadLogAttribute()
        : base(new WriteAheadLogPlacement())
    {
    }

    /// <summary>The name under which <c>AddWriteAheadLog</c> registers the providers this attribute selects.</summary>
    public const string ProviderName = "WriteAheadLog";

    /// <summary>
    /// A journaled grain writes a checkpoint (snapshot) of its confirmed state about every this many events; 0 disables
    /// the event trigger; negative (the default) takes the provider's <c>CheckpointEveryEvents</c>.
    /// </summary>
    public int CheckpointEveryEvents { get; set; } = -1;

    /// <summary>
    /// A journaled grain writes a checkpoint after about this many event bytes since its latest one; 0 disables the byte
    /// trigger; negative (the default) takes the provider's <c>CheckpointEveryBytes</c>.
    /// </summary>
    public long CheckpointEveryBytes { get; set; } = -1;

    /// <summary>What the log keeps of a journaled grain's events once a checkpoint covers them.</summary>
    public WriteAheadLogHistory EventHistory { get; set; } = WriteAheadLogHistory.ProviderDefault;
}
