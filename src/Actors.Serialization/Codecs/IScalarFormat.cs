using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>
/// How one scalar type (a value without fields: a number, a string, a Guid...) is laid out as a payload.
/// <see cref="ScalarCodec{T, TFormat}"/> adds the header and null handling.
/// </summary>
public interface IScalarFormat<T>
{
    /// <summary>The wire type of the payload.</summary>
    static abstract WireType WireType { get; }

    /// <summary>Writes the payload of a non-null value.</summary>
    static abstract void WritePayload(ref Writer writer, T value);

    /// <summary>Reads the payload of a non-null value whose header is <paramref name="field"/>; checks the wire type.</summary>
    static abstract T ReadPayload(ref Reader reader, Field field);
}
