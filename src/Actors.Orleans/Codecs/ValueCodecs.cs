using System.Text.Json;
using Actors.Orleans.Format;
using MessagePack;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.TypeSystem;
using Orleans.Storage;

namespace Actors.Orleans.Codecs;

/// <summary>
/// One provider's codecs: it writes with the codec its options name and reads each record with the codec the record
/// names. Every failure becomes a typed error naming what, where and which type; nothing is stored or defaulted.
/// </summary>
public sealed class ValueCodecs
{
    private readonly IServiceProvider _services;
    private readonly JsonSerializerOptions? _json;
    private readonly MessagePackSerializerOptions? _messagePack;
    private readonly bool _compress;
    private readonly IGrainStorageSerializer? _storageSerializer;
    private readonly string? _providerName;
    private IWalValueCodec? _orleans;
    private IWalValueCodec? _systemTextJson;
    private IWalValueCodec? _messagePackCodec;
    private IWalValueCodec? _storageSerializerCodec;

    /// <summary>Creates the codecs of one provider.</summary>
    /// <param name="services">The silo's services (Orleans's serializer, type names, grain storage serializers).</param>
    /// <param name="options">The provider's settings.</param>
    /// <param name="compress">Whether new records are Brotli-compressed where that makes them smaller.</param>
    /// <param name="providerName">The provider's name: an <see cref="IGrainStorageSerializer"/> registered keyed by it is the provider's; null for none.</param>
    public ValueCodecs(IServiceProvider services, WalProviderOptions options, bool compress, string? providerName = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        _services = services;
        _json = options.JsonSerializerOptions;
        _messagePack = options.MessagePackSerializerOptions;
        _compress = compress;
        _storageSerializer = options.GrainStorageSerializer;
        _providerName = providerName;
        WriteCodec = options.WriteCodec;
    }

    /// <summary>The codec new records are written with.</summary>
    public WalCodec WriteCodec { get; }

    /// <summary>Encodes <paramref name="value"/> into a record of <paramref name="kind"/>.</summary>
    /// <param name="kind">What the record holds.</param>
    /// <param name="value">The value.</param>
    /// <param name="what">The grain and its state or events, for the error message.</param>
    /// <param name="streamId">The stream it goes to, for the error message.</param>
    /// <exception cref="ValueSerializationException">The codec failed; nothing was stored.</exception>
    /// <param name="origin">For a journal's snapshot: where the grain's version 0 begins in the stream, when not 0.</param>
    public byte[] Encode<T>(LogValueKind kind, T value, string what, string streamId, long? origin = null)
        => TryEncode(kind, value, out byte[] record, out Exception? failure, origin)
            ? record
            : throw new ValueSerializationException(what, streamId, value?.GetType() ?? typeof(T), WriteCodec, failure!);

    /// <summary>
    /// Encodes <paramref name="value"/> as <see cref="Encode{T}"/> does, but hands a codec failure back instead of
    /// throwing, so a caller on the write path builds the description of what failed only when something did.
    /// </summary>
    /// <returns>False when the codec failed (<paramref name="failure"/> says why; nothing may be stored).</returns>
    internal bool TryEncode<T>(LogValueKind kind, T value, out byte[] record, out Exception? failure, long? origin = null)
    {
        IWalValueCodec codec = Get(WriteCodec);
        try
        {
            if (!_compress && codec is OrleansValueCodec orleans)
            {
                // Orleans's serializer writes into a reused buffer and the record is the only array made (a codec's
                // own array, copied into the record, was a second allocation of the value's size per write).
                var buffer = EncodeBuffer.Rent();
                orleans.EncodeInto(value, buffer);
                record = new LogValueRecord(kind, codec.Id, "", buffer.WrittenMemory) { Origin = origin }.ToArray();
                EncodeBuffer.Return(buffer);
                failure = null;
                return true;
            }

            byte[] payload = codec.Encode(value, out string typeName);
            record = new LogValueRecord(kind, codec.Id, typeName, payload) { Origin = origin }.ToArray(_compress);
            failure = null;
            return true;
        }
        catch (Exception ex)
        {
            record = [];
            failure = ex;
            return false;
        }
    }

    /// <summary>The checkpoint record of a journal cleared at stream version <paramref name="origin"/> (no value).</summary>
    public static byte[] JournalReset(long origin) => new LogValueRecord(LogValueKind.JournalReset, WalCodec.None, "", ReadOnlyMemory<byte>.Empty) { Origin = origin }.ToArray();

    /// <summary>The record of a cleared state (no value).</summary>
    public static byte[] ClearedState() => new LogValueRecord(LogValueKind.ClearedState, WalCodec.None, "", ReadOnlyMemory<byte>.Empty).ToArray();

    /// <summary>Parses a stored record.</summary>
    /// <exception cref="ValueDeserializationException">The bytes are not a record these providers wrote, or a newer format.</exception>
    public static LogValueRecord Parse(ReadOnlyMemory<byte> bytes, string what, string streamId, long version)
    {
        if (!LogValueRecord.TryRead(bytes, out LogValueRecord record, out string error))
        {
            throw new ValueDeserializationException(what, streamId, version, "?", WalCodec.None, error, null);
        }

        return record;
    }

    /// <summary>Decodes the value of a parsed record as a <typeparamref name="T"/>.</summary>
    /// <exception cref="ValueDeserializationException">The record's codec is unknown or fails on the bytes.</exception>
    public T Decode<T>(LogValueRecord record, string what, string streamId, long version)
    {
        string typeName = record.TypeName.Length > 0 && record.Codec != WalCodec.GrainStorageSerializer ? record.TypeName : typeof(T).FullName ?? typeof(T).Name;
        if (record.Codec is not (WalCodec.Orleans or WalCodec.SystemTextJson or WalCodec.MessagePack or WalCodec.GrainStorageSerializer))
        {
            throw new ValueDeserializationException(what, streamId, version, typeName, record.Codec, $"the record names codec {(byte)record.Codec}, which this build does not have", null);
        }

        try
        {
            return Get(record.Codec).Decode<T>(record.Payload, record.TypeName);
        }
        catch (Exception ex)
        {
            throw new ValueDeserializationException(what, streamId, version, typeName, record.Codec, $"{ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    /// <summary>The provider's <see cref="IGrainStorageSerializer"/>: its option, else keyed by its name, else the silo's.</summary>
    private IGrainStorageSerializer StorageSerializer() =>
        _storageSerializer
        ?? (_providerName is null ? null : _services.GetKeyedService<IGrainStorageSerializer>(_providerName))
        ?? _services.GetService<IGrainStorageSerializer>()
        ?? throw new InvalidOperationException("the silo registers no IGrainStorageSerializer and the provider's GrainStorageSerializer is not set");

    private IWalValueCodec Get(WalCodec id) => id switch
    {
        WalCodec.Orleans => _orleans ??= new OrleansValueCodec(_services.GetRequiredService<Serializer>()),
        WalCodec.SystemTextJson => _systemTextJson ??= new SystemTextJsonValueCodec(_json, _services.GetRequiredService<TypeConverter>()),
        WalCodec.MessagePack => _messagePackCodec ??= new MessagePackValueCodec(_messagePack, _services.GetRequiredService<TypeConverter>()),
        WalCodec.GrainStorageSerializer => _storageSerializerCodec ??= new GrainStorageSerializerCodec(StorageSerializer()),
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "not a codec that holds values"),
    };
}
