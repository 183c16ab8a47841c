namespace Actors.Serialization;

/// <summary>A value could not be serialized or deserialized by an <see cref="IGrainSerializer"/>.</summary>
[GenerateSerializer]
public sealed class GrainSerializationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GrainSerializationException(Type declaredType, string detail, Exception? innerException = null)
        : base($"Cannot serialize or deserialize a value of type '{declaredType.FullName}': {detail}", innerException)
    {
        DeclaredType = declaredType;
    }

    /// <summary>The declared type of the value.</summary>
    [Id(0)]
    public Type DeclaredType { get; }
}
