namespace Actors.Hosting;

/// <summary>
/// What a <see cref="IGrainCallRouter"/> may know about a registered grain class: the class, its grain type name and
/// the grain stores its state lives in. One instance per registered class, created when the silo starts.
/// </summary>
public sealed class GrainClassDescriptor
{
    /// <summary>Creates a descriptor.</summary>
    /// <param name="grainClass">The grain class.</param>
    /// <param name="typeName">Its grain type name (the type part of its grain ids).</param>
    /// <param name="storeNames">
    /// The names of the stores the class keeps state in: the stores of its <c>[PersistentState]</c> parameters and, for a
    /// journaled grain, its journal store (its <c>StorageProviderAttribute</c>'s store, else the default store).
    /// </param>
    public GrainClassDescriptor(Type grainClass, string typeName, IReadOnlyList<string> storeNames)
    {
        ArgumentNullException.ThrowIfNull(grainClass);
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        ArgumentNullException.ThrowIfNull(storeNames);
        GrainClass = grainClass;
        TypeName = typeName;
        StoreNames = storeNames;
    }

    /// <summary>The grain class.</summary>
    public Type GrainClass { get; }

    /// <summary>The grain type name.</summary>
    public string TypeName { get; }

    /// <summary>The stores the class keeps state in (distinct, possibly empty).</summary>
    public IReadOnlyList<string> StoreNames { get; }

    /// <inheritdoc />
    public override string ToString() => $"{TypeName} ({GrainClass.FullName})";
}
