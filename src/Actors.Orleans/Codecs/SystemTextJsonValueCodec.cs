using System.Text.Json;
using Orleans.Serialization.TypeSystem;

namespace Actors.Orleans.Codecs;

/// <summary>
/// System.Text.Json with the provider's options. The record stores the value's runtime type as Orleans's
/// <see cref="TypeConverter"/> formats it, so events of many types share one stream and read back as their own types.
/// </summary>
public sealed class SystemTextJsonValueCodec : IWalValueCodec
{
    private readonly JsonSerializerOptions _options;
    private readonly TypeConverter _types;

    /// <summary>Creates the codec.</summary>
    /// <param name="options">The serializer options (System.Text.Json's general defaults, <see cref="JsonSerializerDefaults.General"/>, when null).</param>
    /// <param name="types">Orleans's type names (which types may be named is Orleans's allow-list).</param>
    public SystemTextJsonValueCodec(JsonSerializerOptions? options, TypeConverter types)
    {
        ArgumentNullException.ThrowIfNull(types);
        _options = options ?? new JsonSerializerOptions(JsonSerializerDefaults.General);
        _types = types;
    }

    /// <inheritdoc />
    public WalCodec Id => WalCodec.SystemTextJson;

    /// <inheritdoc />
    public byte[] Encode<T>(T value, out string typeName)
    {
        Type type = value?.GetType() ?? typeof(T);
        typeName = _types.Format(type);
        return JsonSerializer.SerializeToUtf8Bytes(value, type, _options);
    }

    /// <inheritdoc />
    public T Decode<T>(ReadOnlyMemory<byte> payload, string typeName)
    {
        Type type = StoredTypes.Resolve<T>(_types, typeName);
        return (T)JsonSerializer.Deserialize(payload.Span, type, _options)!;
    }
}
