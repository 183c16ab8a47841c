using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Actors.Persistence.Wal;

/// <summary>Options of the default <see cref="JsonWalCodec"/>: serializer settings, event types and upcasters.</summary>
/// <remarks>
/// <para>
/// Source generation: set <see cref="SerializerOptions"/>' <see cref="JsonSerializerOptions.TypeInfoResolver"/> to
/// a generated <c>JsonSerializerContext</c>, or chain several with
/// <see cref="JsonTypeInfoResolver.Combine(IJsonTypeInfoResolver?[])"/> (put a
/// <see cref="DefaultJsonTypeInfoResolver"/> last to keep reflection as the fallback).
/// </para>
/// <para>
/// Event types need no registration when they live in the same assembly as the grain's event base type: that
/// assembly is scanned for <see cref="EventTypeAttribute"/> the first time an unknown name is read. Register
/// types from other assemblies with <see cref="AddEventType(Type)"/> or <see cref="AddEventTypesFromAssembly"/>.
/// </para>
/// </remarks>
public sealed class JsonWalCodecOptions
{
    /// <summary>The most upcasting steps applied to one stored event (guards against cycles).</summary>
    public const int MaxUpcastSteps = 32;

    private readonly List<Type> _eventTypes = [];
    private readonly Dictionary<string, (string ToName, Func<JsonNode, JsonNode> Transform)> _jsonUpcasters = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, Func<object, object>> _typedUpcasters = [];

    /// <summary>
    /// The serializer settings. Default: <see cref="JsonSerializerDefaults.Web"/> with reflection-based metadata.
    /// Made read-only when the codec is created.
    /// </summary>
    public JsonSerializerOptions SerializerOptions { get; set; } =
        new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    internal IReadOnlyList<Type> EventTypes => _eventTypes;

    internal IReadOnlyDictionary<string, (string ToName, Func<JsonNode, JsonNode> Transform)> JsonUpcasters => _jsonUpcasters;

    internal IReadOnlyDictionary<Type, Func<object, object>> TypedUpcasters => _typedUpcasters;

    /// <summary>Registers an event type; it must carry <see cref="EventTypeAttribute"/>.</summary>
    /// <exception cref="ArgumentException">The type has no stable name.</exception>
    public JsonWalCodecOptions AddEventType(Type eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        _ = EventTypeNames.GetRequiredName(eventType);
        _eventTypes.Add(eventType);
        return this;
    }

    /// <summary>Registers an event type; it must carry <see cref="EventTypeAttribute"/>.</summary>
    public JsonWalCodecOptions AddEventType<TEvent>() => AddEventType(typeof(TEvent));

    /// <summary>Registers every type of <paramref name="assembly"/> that carries <see cref="EventTypeAttribute"/>.</summary>
    public JsonWalCodecOptions AddEventTypesFromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        _eventTypes.AddRange(EventTypeNames.FindEventTypes(assembly));
        return this;
    }

    /// <summary>
    /// Registers an upcaster for events stored under <paramref name="fromTypeName"/>: the stored JSON is
    /// transformed and then read as <paramref name="toTypeName"/> (which may itself be upcast further). Use it
    /// for renamed or reshaped events whose old CLR type no longer exists.
    /// </summary>
    /// <param name="fromTypeName">The old stored name.</param>
    /// <param name="toTypeName">The name to read the transformed JSON as.</param>
    /// <param name="transform">Turns the old JSON into the new JSON (may return its argument after editing it).</param>
    /// <exception cref="ArgumentException">An upcaster for <paramref name="fromTypeName"/> already exists, or the names are equal.</exception>
    public JsonWalCodecOptions AddUpcaster(string fromTypeName, string toTypeName, Func<JsonNode, JsonNode> transform)
    {
        ArgumentException.ThrowIfNullOrEmpty(fromTypeName);
        ArgumentException.ThrowIfNullOrEmpty(toTypeName);
        ArgumentNullException.ThrowIfNull(transform);
        if (string.Equals(fromTypeName, toTypeName, StringComparison.Ordinal))
        {
            throw new ArgumentException($"An upcaster must change the type name; '{fromTypeName}' maps to itself.", nameof(toTypeName));
        }

        if (!_jsonUpcasters.TryAdd(fromTypeName, (toTypeName, transform)))
        {
            throw new ArgumentException($"An upcaster from '{fromTypeName}' is already registered.", nameof(fromTypeName));
        }

        return this;
    }

    /// <summary>
    /// Registers a typed upcaster: a stored <typeparamref name="TOld"/> (still a registered event type) is
    /// converted to <typeparamref name="TNew"/> after it is read.
    /// </summary>
    /// <exception cref="ArgumentException"><typeparamref name="TOld"/> has no stable name, or an upcaster for it already exists.</exception>
    public JsonWalCodecOptions AddUpcaster<TOld, TNew>(Func<TOld, TNew> upcast)
        where TOld : notnull
        where TNew : notnull
    {
        ArgumentNullException.ThrowIfNull(upcast);
        AddEventType(typeof(TOld));
        if (!_typedUpcasters.TryAdd(typeof(TOld), old => upcast((TOld)old)))
        {
            throw new ArgumentException($"An upcaster from '{typeof(TOld).FullName}' is already registered.", nameof(upcast));
        }

        return this;
    }
}
