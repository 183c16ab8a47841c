namespace Actors;

/// <summary>Which members get serialization ids without an explicit <see cref="IdAttribute"/>.</summary>
public enum GenerateFieldIds
{
    /// <summary>Only members with <see cref="IdAttribute"/> (and record primary constructor parameters) are serialized.</summary>
    None,

    /// <summary>
    /// When no member carries <see cref="IdAttribute"/>, every public instance property with a getter and a setter (or
    /// init accessor) is serialized, numbered 0, 1, 2, ... in declaration order. Inserting a property renumbers the
    /// ones after it, which breaks compatibility with data already written: prefer explicit ids.
    /// </summary>
    PublicProperties,
}
