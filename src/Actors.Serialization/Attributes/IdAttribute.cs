namespace Actors;

/// <summary>
/// The stable serialization id of a field, property or primary constructor parameter. Ids are unique within one class
/// of an inheritance chain (a derived class may reuse ids of its base). Never reuse the id of a removed member for a
/// member of another meaning: readers of old data would take its value.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Method)]
public sealed class IdAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="id">The member's id within its declaring type.</param>
    public IdAttribute(uint id)
    {
        Id = id;
    }

    /// <summary>The member's id within its declaring type.</summary>
    public uint Id { get; }
}
