namespace Actors.Serialization;

/// <summary>
/// Names an assembly's <see cref="ISerializationManifestProvider"/> (emitted by the code generator). Every serializer
/// finds it in any loaded assembly without configuration.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class SerializationManifestAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="manifestProviderType">A class implementing <see cref="ISerializationManifestProvider"/> with a parameterless constructor.</param>
    public SerializationManifestAttribute(Type manifestProviderType)
    {
        ManifestProviderType = manifestProviderType;
    }

    /// <summary>The manifest provider type.</summary>
    public Type ManifestProviderType { get; }
}
