namespace Actors.Serialization;

/// <summary>
/// The data names a type (by alias, CLR name or well-known id) that this process does not know or does not allow: the
/// writer knew a type the reader does not (for example a derived type only the writer's version has).
/// </summary>
[GenerateSerializer]
public sealed class UnknownTypeException : SerializerException
{
    /// <summary>Creates the exception.</summary>
    public UnknownTypeException(string typeName, string reason)
        : base($"The data holds a value of type '{typeName}', which this process cannot read: {reason}")
    {
        TypeName = typeName;
    }

    /// <summary>The type's name as the data spells it (an alias, a CLR full name or "well-known #n").</summary>
    [Id(0)]
    public string TypeName { get; }
}
