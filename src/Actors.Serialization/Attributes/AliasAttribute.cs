namespace Actors;

/// <summary>
/// A stable name for a type (or a grain interface or method) used on the wire instead of its CLR name, so the type can
/// be renamed or moved to another namespace or assembly without breaking data already written or peers of another
/// version.
/// </summary>
/// <remarks>A type alias must be unique among all types a process knows; a method alias must be unique within its interface.</remarks>
[AttributeUsage(
    AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Enum | AttributeTargets.Interface | AttributeTargets.Method
    | AttributeTargets.Delegate,
    Inherited = false)]
public sealed class AliasAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="alias">The stable name.</param>
    public AliasAttribute(string alias)
    {
        Alias = alias;
    }

    /// <summary>The stable name.</summary>
    public string Alias { get; }
}
