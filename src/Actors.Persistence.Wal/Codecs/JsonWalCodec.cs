using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Actors.Persistence.Wal;

/// <summary>
/// The default <see cref="IWalCodec"/>: System.Text.Json payloads under stable type names from
/// <see cref="EventTypeAttribute"/>, with source-generated contexts and upcasters (see <see cref="JsonWalCodecOptions"/>).
/// </summary>
/// <remarks>Thread-safe. Event types seen while encoding are registered automatically.</remarks>
public sealed class JsonWalCodec : IWalCodec
{
    private readonly JsonSerializerOptions _options;
    private readonly ConcurrentDictionary<string, Type> _typesByName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, byte> _scannedBaseTypes = new();
    private readonly IReadOnlyDictionary<string, (string ToName, Func<JsonNode, JsonNode> Transform)> _jsonUpcasters;
    private readonly IReadOnlyDictionary<Type, Func<object, object>> _typedUpcasters;

    /// <summary>Creates the codec with default options.</summary>
    public JsonWalCodec()
        : this(new JsonWalCodecOptions())
    {
    }

    /// <summary>Creates the codec.</summary>
    /// <exception cref="ArgumentException">Two registered event types share a name.</exception>
    public JsonWalCodec(JsonWalCodecOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.SerializerOptions;
        _options.TypeInfoResolver ??= new DefaultJsonTypeInfoResolver();
        _options.MakeReadOnly();
        _jsonUpcasters = new Dictionary<string, (string, Func<JsonNode, JsonNode>)>(options.JsonUpcasters, StringComparer.Ordinal);
        _typedUpcasters = new Dictionary<Type, Func<object, object>>(options.TypedUpcasters);
        foreach (Type type in options.EventTypes)
        {
            Register(type, EventTypeNames.GetRequiredName(type));
        }
    }

    /// <inheritdoc />
    public EncodedEvent EncodeEvent(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        Type type = @event.GetType();
        string? name = EventTypeNames.GetName(type);
        if (name is null)
        {
            throw new EventEncodingException(type, EventTypeNames.MissingNameMessage(type));
        }

        if (EventTypeNames.Validate(name) is { } problem)
        {
            throw new EventEncodingException(type, $"Its event type name is invalid: {problem}");
        }

        if (!TryRegister(type, name, out Type? other))
        {
            throw new EventEncodingException(type, $"Its event type name '{name}' is already used by '{other.FullName}'.");
        }

        return new EncodedEvent(name, Serialize(@event, type));
    }

    /// <inheritdoc />
    public object DecodeEvent(string typeName, ReadOnlyMemory<byte> payload, Type declaredType, CodecContext context)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(declaredType);
        JsonNode? upcastNode = null;
        string name = typeName;
        for (int step = 0; ; step++)
        {
            if (step > JsonWalCodecOptions.MaxUpcastSteps)
            {
                throw new EventDecodingException(typeName, context.StreamId, context.Version,
                    $"More than {JsonWalCodecOptions.MaxUpcastSteps} upcasting steps (is there a cycle?).");
            }

            if (_jsonUpcasters.TryGetValue(name, out var upcaster))
            {
                upcastNode = Upcast(upcastNode, payload, upcaster.Transform, name, context);
                name = upcaster.ToName;
                continue;
            }

            if (!TryResolve(name, declaredType, out Type? type))
            {
                throw new UnknownEventTypeException(name, context.StreamId, context.Version);
            }

            object value = Deserialize(upcastNode, payload, type, name, context);
            return UpcastTyped(value, declaredType, name, context);
        }
    }

    /// <inheritdoc />
    public ReadOnlyMemory<byte> EncodeState(object? state, Type stateType)
    {
        ArgumentNullException.ThrowIfNull(stateType);
        return Serialize(state, stateType);
    }

    /// <inheritdoc />
    public object? DecodeState(ReadOnlyMemory<byte> payload, Type stateType, CodecContext context)
    {
        ArgumentNullException.ThrowIfNull(stateType);
        try
        {
            return JsonSerializer.Deserialize(payload.Span, stateType, _options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new EventDecodingException(stateType.Name, context.StreamId, context.Version, ex.Message, ex);
        }
    }

    private byte[] Serialize(object? value, Type type)
    {
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(value, type, _options);
        }
        catch (Exception ex)
        {
            // Whatever a serializer or a member getter throws (NotImplementedException from a property, say) means
            // the value cannot be stored: a rejection naming the member, never an exception of another kind.
            throw EncodingFailures.ToEncodingException(type, ex, "The JSON serializer");
        }
    }

    private object Deserialize(JsonNode? node, ReadOnlyMemory<byte> payload, Type type, string name, CodecContext context)
    {
        object? value;
        try
        {
            value = node is null
                ? JsonSerializer.Deserialize(payload.Span, type, _options)
                : node.Deserialize(type, _options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new EventDecodingException(name, context.StreamId, context.Version, $"The payload is not a valid '{type.FullName}': {ex.Message}", ex);
        }

        return value ?? throw new EventDecodingException(name, context.StreamId, context.Version, "The payload is JSON null.");
    }

    private JsonNode Upcast(JsonNode? current, ReadOnlyMemory<byte> payload, Func<JsonNode, JsonNode> transform, string name, CodecContext context)
    {
        try
        {
            JsonNode node = current ?? JsonNode.Parse(payload.Span, new JsonNodeOptions { PropertyNameCaseInsensitive = _options.PropertyNameCaseInsensitive })
                ?? throw new EventDecodingException(name, context.StreamId, context.Version, "The payload is JSON null.");
            return transform(node) ?? throw new EventDecodingException(name, context.StreamId, context.Version, "The upcaster returned null.");
        }
        catch (JsonException ex)
        {
            throw new EventDecodingException(name, context.StreamId, context.Version, $"The payload is not valid JSON: {ex.Message}", ex);
        }
    }

    private object UpcastTyped(object value, Type declaredType, string name, CodecContext context)
    {
        for (int step = 0; step <= JsonWalCodecOptions.MaxUpcastSteps && _typedUpcasters.TryGetValue(value.GetType(), out var upcast); step++)
        {
            value = upcast(value);
        }

        if (!declaredType.IsInstanceOfType(value))
        {
            throw new EventDecodingException(name, context.StreamId, context.Version,
                $"It is a '{value.GetType().FullName}', which is not a '{declaredType.FullName}' (the grain's event type).");
        }

        return value;
    }

    private bool TryResolve(string name, Type declaredType, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type)
    {
        if (_typesByName.TryGetValue(name, out type))
        {
            return true;
        }

        // First miss for this event base type: register the named types of its assembly that derive from it. Mark the
        // base type scanned only after its types are registered: concurrent activations (a silo restarting under load)
        // must not see it marked while the scan still runs, or they would report a known name as unknown.
        if (!_scannedBaseTypes.ContainsKey(declaredType))
        {
            lock (_scannedBaseTypes)
            {
                if (!_scannedBaseTypes.ContainsKey(declaredType))
                {
                    foreach (Type candidate in EventTypeNames.FindEventTypes(declaredType.Assembly))
                    {
                        if (declaredType.IsAssignableFrom(candidate) || _typedUpcasters.ContainsKey(candidate))
                        {
                            _ = TryRegister(candidate, EventTypeNames.GetName(candidate)!, out _);
                        }
                    }

                    _scannedBaseTypes[declaredType] = 0;
                }
            }
        }

        return _typesByName.TryGetValue(name, out type);
    }

    private void Register(Type type, string name)
    {
        if (!TryRegister(type, name, out Type? other))
        {
            throw new ArgumentException($"Event types '{type.FullName}' and '{other.FullName}' share the name '{name}'.", nameof(type));
        }
    }

    private bool TryRegister(Type type, string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out Type? other)
    {
        Type registered = _typesByName.GetOrAdd(name, type);
        other = registered == type ? null : registered;
        return other is null;
    }
}
