namespace Actors.Storage;

/// <summary>
/// A grain needs a store (for its journal, its <c>Grain&lt;TState&gt;</c> state or a persistent state) that the silo
/// does not configure, so it cannot activate: nothing ever falls back to volatile memory. The message names the grain
/// class, the store, what selected it and how to configure one.
/// </summary>
[GenerateSerializer]
public sealed class GrainStoreNotConfiguredException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public GrainStoreNotConfiguredException(Type grainClass, string storeName, string message)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(grainClass);
        GrainClass = grainClass;
        StoreName = storeName;
    }

    /// <summary>The grain class.</summary>
    [Id(0)]
    public Type GrainClass { get; }

    /// <summary>The store it needs.</summary>
    [Id(1)]
    public string StoreName { get; }
}
