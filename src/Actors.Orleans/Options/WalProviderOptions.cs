using System.Text.Json;
using MessagePack;
using Orleans.Storage;

namespace Actors.Orleans;

/// <summary>What every write-ahead-log provider is configured with: the codec its new records are written with.</summary>
public abstract class WalProviderOptions
{
    /// <summary>
    /// The codec new records are written with. Default <see cref="WalCodec.Orleans"/> (<c>[GenerateSerializer]</c>).
    /// <see cref="WalCodec.GrainStorageSerializer"/> writes through Orleans's <see cref="IGrainStorageSerializer"/> seam
    /// (<see cref="GrainStorageSerializer"/>, else the serializer registered keyed by the provider's name, else the silo's).
    /// </summary>
    public WalCodec Codec { get; set; } = WalCodec.Orleans;

    /// <summary>
    /// The <see cref="IGrainStorageSerializer"/> this provider writes and reads with, as Orleans's own providers take it.
    /// Setting it makes the provider write with it whatever <see cref="Codec"/> says. Null (default): <see cref="Codec"/>
    /// decides. Records name the serializer that wrote them; one written by another serializer is refused with
    /// <see cref="ValueDeserializationException"/>, never read with this one.
    /// </summary>
    public IGrainStorageSerializer? GrainStorageSerializer { get; set; }

    /// <summary>The codec new records are written with: <see cref="Codec"/>, or <see cref="WalCodec.GrainStorageSerializer"/> when <see cref="GrainStorageSerializer"/> is set.</summary>
    internal WalCodec WriteCodec => GrainStorageSerializer is null ? Codec : WalCodec.GrainStorageSerializer;

    /// <summary>With <see cref="WalCodec.SystemTextJson"/>: the serializer options (null: System.Text.Json's defaults).</summary>
    public JsonSerializerOptions? JsonSerializerOptions { get; set; }

    /// <summary>With <see cref="WalCodec.MessagePack"/>: the serializer options (null: <see cref="MessagePackSerializerOptions.Standard"/>).</summary>
    public MessagePackSerializerOptions? MessagePackSerializerOptions { get; set; }

    /// <summary>Adds the failures of the settings every provider shares to <paramref name="failures"/>.</summary>
    protected internal void Validate(string section, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (Codec is not (WalCodec.Orleans or WalCodec.SystemTextJson or WalCodec.MessagePack or WalCodec.GrainStorageSerializer))
        {
            failures.Add($"{section}: {nameof(Codec)} '{Codec}' is not one of Orleans, SystemTextJson, MessagePack, GrainStorageSerializer.");
        }
    }
}
