namespace Actors.Storage;

/// <summary>
/// The base of attributes that opt a grain class into a configured store (for example the write-ahead log's
/// <c>[WriteAheadLog]</c>). A <c>JournaledGrain</c> with such an attribute keeps its events in the journal store named
/// <see cref="StoreName"/> (default <see cref="StorageNames.Default"/>); without one its state is volatile. The store
/// is also the default for the grain's <see cref="PersistentStateAttribute"/> parameters that name none.
/// </summary>
/// <remarks>
/// A grain that names a store which is not configured fails silo start with a message naming the grain type and the
/// store. Derived attributes may carry provider settings (for example a checkpoint policy); providers read them from
/// <see cref="Journaling.JournalAdaptorContext.GrainClass"/>.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public abstract class StorageProviderAttribute : Attribute
{
    /// <summary>The store name; null means <see cref="StorageNames.Default"/>.</summary>
    public string? StoreName { get; init; }
}
