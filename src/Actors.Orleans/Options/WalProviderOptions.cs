using System.Text.Json;
using MessagePack;

namespace Actors.Orleans;

/// <summary>What every write-ahead-log provider is configured with: the codec its new records are written with.</summary>
public abstract class WalProviderOptions
{
    /// <summary>The codec new records are written with. Default <see cref="WalCodec.Orleans"/> (<c>[GenerateSerializer]</c>).</summary>
    public WalCodec Codec { get; set; } = WalCodec.Orleans;

    /// <summary>With <see cref="WalCodec.SystemTextJson"/>: the serializer options (null: System.Text.Json's defaults).</summary>
    public JsonSerializerOptions? JsonSerializerOptions { get; set; }

    /// <summary>With <see cref="WalCodec.MessagePack"/>: the serializer options (null: <see cref="MessagePackSerializerOptions.Standard"/>).</summary>
    public MessagePackSerializerOptions? MessagePackSerializerOptions { get; set; }

    /// <summary>Adds the failures of the settings every provider shares to <paramref name="failures"/>.</summary>
    protected internal void Validate(string section, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (Codec is not (WalCodec.Orleans or WalCodec.SystemTextJson or WalCodec.MessagePack))
        {
            failures.Add($"{section}: {nameof(Codec)} '{Codec}' is not one of Orleans, SystemTextJson, MessagePack.");
        }
    }
}
