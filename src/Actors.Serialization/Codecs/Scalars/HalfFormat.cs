using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="Half"/> widened to a float in a Fixed32 (exact); reading requires the float to convert back exactly.</summary>
public struct HalfFormat : IScalarFormat<Half>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.Fixed32;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, Half value) => SingleFormat.WritePayload(ref writer, (float)value);

    /// <inheritdoc />
    public static Half ReadPayload(ref Reader reader, Field field)
    {
        float wide = SingleFormat.ReadPayload(ref reader, field);
        var narrow = (Half)wide;
        if (!((float)narrow).Equals(wide))
        {
            throw reader.Error($"the float {wide} cannot be represented exactly as a Half");
        }

        return narrow;
    }
}
