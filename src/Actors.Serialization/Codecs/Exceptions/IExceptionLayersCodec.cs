using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>
/// Implemented by the generated codec of an exception type marked <see cref="GenerateSerializerAttribute"/>: creates an
/// instance and reads and writes all its class layers, the first being the <see cref="Exception"/> layer written by
/// <see cref="ExceptionCodec"/>. The exception codec writes the header and decides the type.
/// </summary>
public interface IExceptionLayersCodec
{
    /// <summary>Creates an instance to read into.</summary>
    Exception CreateInstance();

    /// <summary>Writes every class layer of <paramref name="instance"/>, without the header and the final EndObject.</summary>
    void Serialize(ref Writer writer, Exception instance);

    /// <summary>Reads every class layer into <paramref name="instance"/>, up to and including the final end marker.</summary>
    void Deserialize(ref Reader reader, Exception instance);
}
