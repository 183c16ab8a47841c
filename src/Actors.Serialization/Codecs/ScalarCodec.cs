using System.Runtime.CompilerServices;
using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>
/// The codec and copier of a scalar type laid out by <typeparamref name="TFormat"/>. Generated code calls the static
/// <see cref="WriteField(ref Writer, uint, T)"/>/<see cref="ReadValue"/> directly (no virtual call).
/// </summary>
public sealed class ScalarCodec<T, TFormat> : IFieldCodec<T>
    where TFormat : struct, IScalarFormat<T>
{
    /// <summary>The shared instance.</summary>
    public static readonly ScalarCodec<T, TFormat> Instance = new();

    /// <summary>Writes a value of the expected type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteField(ref Writer writer, uint fieldIdDelta, T value)
    {
        if (value is null)
        {
            writer.WriteNull(fieldIdDelta);
            return;
        }

        writer.WriteFieldHeaderExpected(fieldIdDelta, TFormat.WireType);
        TFormat.WritePayload(ref writer, value);
    }

    /// <summary>Reads a value whose header is <paramref name="field"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReadValue(ref Reader reader, Field field)
    {
        if (field.IsNull)
        {
            return ReadNull(ref reader);
        }

        return TFormat.ReadPayload(ref reader, field);
    }

    /// <inheritdoc />
    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, T value)
    {
        if (value is null)
        {
            writer.WriteNull(fieldIdDelta);
            return;
        }

        writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(T), TFormat.WireType);
        TFormat.WritePayload(ref writer, value);
    }

    /// <inheritdoc />
    T IFieldCodec<T>.ReadValue(ref Reader reader, Field field) => ReadValue(ref reader, field);

    private static T ReadNull(ref Reader reader) =>
        typeof(T).IsValueType ? throw reader.Error($"null where a non-nullable '{TypeNames.Display(typeof(T))}' was expected") : default!;
}
