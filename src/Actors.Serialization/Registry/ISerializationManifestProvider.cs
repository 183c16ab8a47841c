namespace Actors.Serialization;

/// <summary>
/// Registers an assembly's codecs, copiers, converters and aliases. The code generator emits one per assembly and names it
/// with <see cref="SerializationManifestAttribute"/>; hand-written ones can be added with <see cref="SerializerBuilder.AddManifest"/>.
/// </summary>
public interface ISerializationManifestProvider
{
    /// <summary>Adds this assembly's registrations to <paramref name="manifest"/>.</summary>
    void Configure(SerializationManifest manifest);
}
