namespace Actors;

/// <summary>
/// Asks the Actors code generator to emit a serializer and a deep copier for the type. Members are serialized when they
/// carry <see cref="IdAttribute"/> (or, for records, when they are primary constructor parameters).
/// </summary>
/// <remarks>
/// The generated code reads and writes fields directly (also private, readonly and init-only ones), so no public
/// setter or matching constructor is needed. Opt a project into the generator as described in docs/serialization.md.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Enum, Inherited = false)]
public sealed class GenerateSerializerAttribute : Attribute
{
    /// <summary>
    /// Whether primary constructor parameters without an explicit <see cref="IdAttribute"/> are serialized, with the
    /// parameter's position as their id. Records always include them (as Orleans does); set this to include them for
    /// classes and structs whose primary constructor parameters are exposed as properties of the same name.
    /// </summary>
    public bool IncludePrimaryConstructorParameters { get; init; }

    /// <summary>Whether members without <see cref="IdAttribute"/> get ids assigned automatically.</summary>
    public GenerateFieldIds GenerateFieldIds { get; init; } = GenerateFieldIds.None;
}
