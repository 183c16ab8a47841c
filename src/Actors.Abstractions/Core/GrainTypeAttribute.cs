namespace Actors;

/// <summary>Overrides the grain type name of a grain class (the first half of its <see cref="GrainId"/>).</summary>
/// <param name="name">The grain type name; non-empty, without '/'. Stable: it is part of every stored grain id.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    /// <summary>The grain type name.</summary>
    public string Name { get; } = name;
}
