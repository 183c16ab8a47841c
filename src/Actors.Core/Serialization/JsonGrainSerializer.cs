using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Actors.Serialization;

/// <summary>
/// The default <see cref="IGrainSerializer"/>: System.Text.Json with web defaults. Source-generated
/// <see cref="System.Text.Json.Serialization.JsonSerializerContext"/>s are supported by passing options whose
/// <see cref="JsonSerializerOptions.TypeInfoResolver"/> chains them (reflection stays the fallback).
/// </summary>
public sealed class JsonGrainSerializer : IGrainSerializer
{
    private readonly JsonSerializerOptions _options;

    /// <summary>Creates the serializer with web defaults and reflection-based metadata.</summary>
    public JsonGrainSerializer()
        : this(new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() })
    {
    }

    /// <summary>Creates the serializer with the given options (made read-only).</summary>
    public JsonGrainSerializer(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TypeInfoResolver ??= new DefaultJsonTypeInfoResolver();
        options.MakeReadOnly();
        _options = options;
    }

    /// <inheritdoc />
    public byte[] Serialize(object? value, Type declaredType)
    {
        ArgumentNullException.ThrowIfNull(declaredType);
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(value, declaredType, _options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new GrainSerializationException(declaredType, ex.Message, ex);
        }
    }

    /// <inheritdoc />
    public object? Deserialize(ReadOnlySpan<byte> data, Type declaredType)
    {
        ArgumentNullException.ThrowIfNull(declaredType);
        try
        {
            return JsonSerializer.Deserialize(data, declaredType, _options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new GrainSerializationException(declaredType, ex.Message, ex);
        }
    }
}
