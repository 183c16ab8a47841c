namespace Actors.CodeGenerator.Model;

/// <summary>How a generated codec creates an instance to read into.</summary>
internal enum CreationKind
{
    /// <summary><c>new T()</c>: an accessible parameterless constructor.</summary>
    New,

    /// <summary>RuntimeHelpers.GetUninitializedObject: no accessible parameterless constructor (field initializers do not run).</summary>
    Uninitialized,

    /// <summary><c>default(T)</c>: a struct.</summary>
    Default,

    /// <summary>None: an abstract class (only derived types are instantiated).</summary>
    None,
}

/// <summary>The layer below a generated class's own fields.</summary>
internal enum BaseLayerKind
{
    /// <summary>No base layer (the base is object, ValueType or a type without a generated codec that is not an exception).</summary>
    None,

    /// <summary>A base class with a generated codec.</summary>
    Generated,

    /// <summary>The Exception layer written by ExceptionCodec (the nearest generated base is none, but the type is an exception).</summary>
    Exception,
}

/// <summary>A [GenerateSerializer] type as the emitters need it (no symbols, so incremental caching works).</summary>
/// <param name="FullName">The type as code names it (global::Ns.Outer&lt;T&gt;.Inner).</param>
/// <param name="UnboundFullName">The type in typeof for a generic definition (global::Ns.Outer&lt;&gt;.Inner), else FullName.</param>
/// <param name="DisplayName">The type in error messages.</param>
/// <param name="GeneratedName">The generated class's name without type parameters (unique in the assembly).</param>
/// <param name="TypeParameters">The type parameters of the type and its containing types, in order.</param>
/// <param name="Constraints">The where-clauses of those type parameters.</param>
/// <param name="IsValueType">A struct.</param>
/// <param name="IsSealed">No derived type can exist (sealed class or struct).</param>
/// <param name="IsException">An exception type.</param>
/// <param name="IsEnum">An enum (nothing generated but its alias).</param>
/// <param name="BaseLayer">The base layer.</param>
/// <param name="BaseFullName">The generated base class, fully qualified.</param>
/// <param name="Alias">The [Alias], or null.</param>
/// <param name="Creation">How instances are created.</param>
/// <param name="IsShallowCopyable">Copies may share every instance (immutable, and sealed or a struct).</param>
/// <param name="IsImmutableLayout">Copies may share instances of exactly this type (immutable, perhaps not sealed).</param>
/// <param name="Members">The serialized members, by ascending id.</param>
/// <param name="Hooks">The [SerializationCallbacks] hooks class, fully qualified, or null.</param>
/// <param name="HookMethods">The hook methods that class declares (OnSerializing, OnSerialized, OnDeserializing, OnDeserialized, OnCopied).</param>
internal sealed record TypeModel(
    string FullName,
    string UnboundFullName,
    string DisplayName,
    string GeneratedName,
    EquatableArray<string> TypeParameters,
    EquatableArray<string> Constraints,
    bool IsValueType,
    bool IsSealed,
    bool IsException,
    bool IsEnum,
    BaseLayerKind BaseLayer,
    string? BaseFullName,
    string? Alias,
    CreationKind Creation,
    bool IsShallowCopyable,
    bool IsImmutableLayout,
    EquatableArray<MemberModel> Members,
    string? Hooks = null,
    EquatableArray<string> HookMethods = default)
{
    public bool HasHook(string name) => Hooks is not null && HookMethods.Contains(name);

    public bool IsGeneric => TypeParameters.Count != 0;

    public string TypeParameterList => IsGeneric ? "<" + string.Join(", ", TypeParameters) + ">" : string.Empty;
}
