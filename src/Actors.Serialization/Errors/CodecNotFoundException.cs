namespace Actors.Serialization;

/// <summary>No codec or copier is known for a type: it is neither generated, registered, built in nor opted into JSON.</summary>
[GenerateSerializer]
public sealed class CodecNotFoundException : SerializerException
{
    /// <summary>Creates the exception.</summary>
    public CodecNotFoundException(Type type, string what = "codec")
        : base($"No serialization {what} for type '{TypeNames.Display(type)}'. Mark the type [GenerateSerializer] (and its members [Id(n)]), " +
               "register a converter with [RegisterConverter], or opt it into JSON explicitly with AddJsonSerializer(isSupported: ...).")
    {
        Type = type;
    }

    /// <summary>The type without a codec.</summary>
    [Id(0)]
    public Type Type { get; }
}
