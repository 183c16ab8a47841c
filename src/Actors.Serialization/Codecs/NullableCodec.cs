using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>The codec and copier of <see cref="Nullable{T}"/>: Null, or the value as the underlying type's codec writes it.</summary>
internal sealed class NullableCodec<T>(ICodecProvider provider) : IFieldCodec<T?>, IDeepCopier<T?>
    where T : struct
{
    private readonly IFieldCodec<T> _codec = provider.GetCodec<T>();
    private readonly IDeepCopier<T> _copier = provider.GetDeepCopier<T>();

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, T? value)
    {
        if (value is not { } present)
        {
            writer.WriteNull(fieldIdDelta);
            return;
        }

        _codec.WriteField(ref writer, fieldIdDelta, expectedType == typeof(T?) ? typeof(T) : expectedType, present);
    }

    public T? ReadValue(ref Reader reader, Field field) => field.IsNull ? null : _codec.ReadValue(ref reader, field);

    public T? DeepCopy(T? input, CopyContext context) => input is { } present ? _copier.DeepCopy(present, context) : null;
}
