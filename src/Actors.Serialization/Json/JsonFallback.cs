using System.Text.Json;

namespace Actors.Serialization;

/// <summary>The types opted into JSON and the options used for them.</summary>
internal sealed class JsonFallback(Func<Type, bool> isSupported, JsonSerializerOptions options)
{
    public Func<Type, bool> IsSupported { get; } = isSupported;

    public JsonSerializerOptions Options { get; } = options;
}
