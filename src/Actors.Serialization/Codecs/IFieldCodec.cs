using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>Writes and reads values of one type (untyped view; see <see cref="IFieldCodec{T}"/>).</summary>
public interface IFieldCodec
{
    /// <summary>Writes <paramref name="value"/> as a field; see <see cref="IFieldCodec{T}.WriteField"/>.</summary>
    void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, object? value);

    /// <summary>Reads the value whose header is <paramref name="field"/>.</summary>
    object? ReadValue(ref Reader reader, Field field);
}

/// <summary>
/// Writes and reads values of <typeparamref name="T"/>: the header (tag, optional TypeSpec) and the payload.
/// Implementations are registered with <see cref="RegisterSerializerAttribute"/> or generated.
/// </summary>
/// <remarks>Implementations must be thread-safe (one instance serves all calls) and must never return a default in
/// place of data they cannot read: throw a <see cref="SerializerException"/> instead.</remarks>
public interface IFieldCodec<T> : IFieldCodec
{
    /// <summary>
    /// Writes <paramref name="value"/> as a field whose id is the previous field's id plus <paramref name="fieldIdDelta"/>.
    /// <paramref name="expectedType"/> is the type the reader will expect in this slot; when the value's runtime type
    /// differs, the header must name it.
    /// </summary>
    void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, T value);

    /// <summary>Reads the value whose header is <paramref name="field"/> (already read).</summary>
    new T ReadValue(ref Reader reader, Field field);

    void IFieldCodec.WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, object? value) =>
        WriteField(ref writer, fieldIdDelta, expectedType, (T)value!);

    object? IFieldCodec.ReadValue(ref Reader reader, Field field) => ReadValue(ref reader, field);
}
