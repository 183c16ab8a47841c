using Actors.Storage;

namespace Actors.Providers;

/// <summary>
/// Names the store a grain class keeps its state in (Orleans' <c>[StorageProvider(ProviderName = ...)]</c>): the
/// state of a <see cref="Grain{TState}"/>, the journal of a <c>JournaledGrain</c> that names no
/// <see cref="LogConsistencyProviderAttribute"/>, and the <see cref="PersistentStateAttribute"/> parameters that name
/// no store.
/// </summary>
/// <remarks>
/// <para>Without it a grain uses the store named <see cref="StorageNames.Default"/>, as Orleans uses its default
/// provider; when that is not configured either, the grain fails to activate with a message naming the grain class and
/// how to configure a store. Nothing falls back to volatile memory.</para>
/// <para>A named store that is not configured fails silo start. Provider-specific attributes (for example the
/// write-ahead log's <c>[WriteAheadLog]</c>) may stand beside it; they then only tune that provider's options, and if
/// they name a store too it must be the same one.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class StorageProviderAttribute : Attribute
{
    /// <summary>The store's name. Default <see cref="StorageNames.Default"/>.</summary>
    public string ProviderName { get; set; } = StorageNames.Default;
}
