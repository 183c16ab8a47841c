namespace Actors.Serialization.Wire;

/// <summary>One entry of a message's type table: the name the data uses and the type it resolved to here, if any.</summary>
internal sealed class TypeEntry(string name, Type? type, string? failure)
{
    public string Name { get; } = name;

    /// <summary>The resolved type, or null when this process does not know or allow it.</summary>
    public Type? Type { get; } = type;

    public Type ThrowUnknown() => throw new UnknownTypeException(Name, failure ?? "no type of this name is known here");
}
