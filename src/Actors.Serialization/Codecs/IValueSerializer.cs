using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>Writes and reads the fields of a struct without a header (used by converters for their surrogates).</summary>
public interface IValueSerializer<T>
    where T : struct
{
    /// <summary>Writes the fields of <paramref name="value"/>.</summary>
    void Serialize(ref Writer writer, scoped ref T value);

    /// <summary>Reads fields into <paramref name="value"/> up to and including the EndObject that ends them.</summary>
    void Deserialize(ref Reader reader, scoped ref T value);
}
