using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Actors.Serialization.Cloning;
using Actors.Serialization.Codecs;

namespace Actors.Serialization;

/// <summary>
/// Configures a serializer: extra manifests, hand-registered codecs and copiers, converters, the explicit JSON
/// fallback, the runtime's hooks, limits. <see cref="Build"/> makes the <see cref="CodecProvider"/> that
/// <see cref="Serializer"/> and <see cref="DeepCopier"/> use.
/// </summary>
/// <remarks>Not thread-safe; configure on one thread, then build.</remarks>
public sealed class SerializerBuilder
{
    /// <summary>The default of <see cref="MaxDepth"/>.</summary>
    public const int DefaultMaxDepth = 1000;

    private readonly List<Action<SerializationManifest>> _registrations = [];
    private int _maxDepth = DefaultMaxDepth;

    /// <summary>
    /// The deepest nesting of objects a value may have, on write, read and copy (default <see cref="DefaultMaxDepth"/>).
    /// Deeper values fail with <see cref="MaxDepthExceededException"/> instead of exhausting the stack.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int MaxDepth
    {
        get => _maxDepth;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxDepth));
            _maxDepth = value;
        }
    }

    /// <summary>
    /// Whether the generated manifests of every loaded assembly are applied automatically (default true). When false,
    /// only <see cref="AddAssembly"/>/<see cref="AddManifest"/> registrations count.
    /// </summary>
    public bool DiscoverAssemblies { get; set; } = true;

    /// <summary>
    /// An additional allow-list: a type for which it returns false has no codec or copier here (writing it fails, and data
    /// naming it cannot be read). Well-known BCL types always pass.
    /// </summary>
    public Func<Type, bool>? TypeFilter { get; set; }

    internal List<ISerializationManifestProvider> Manifests { get; } = [];

    internal JsonFallback? Json { get; private set; }

    internal IGrainReferenceResolver? GrainReferenceResolver { get; private set; }

    internal ICancellationTokenBridge? CancellationTokenBridge { get; private set; }

    /// <summary>Applies the generated manifests of <paramref name="assembly"/> (needed only when <see cref="DiscoverAssemblies"/> is off).</summary>
    public SerializerBuilder AddAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        Manifests.AddRange(ManifestDiscovery.ManifestsOf(assembly));
        return this;
    }

    /// <summary>Applies a manifest provider.</summary>
    public SerializerBuilder AddManifest(ISerializationManifestProvider manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        Manifests.Add(manifest);
        return this;
    }

    /// <summary>Registers a codec for <typeparamref name="T"/>, ahead of every built-in one.</summary>
    public SerializerBuilder AddCodec<T>(IFieldCodec<T> codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        _registrations.Add(m => m.AddCodec<T>(_ => codec));
        return this;
    }

    /// <summary>Registers a copier for <typeparamref name="T"/>.</summary>
    public SerializerBuilder AddCopier<T>(IDeepCopier<T> copier)
    {
        ArgumentNullException.ThrowIfNull(copier);
        _registrations.Add(m => m.AddCopier<T>(_ => copier));
        return this;
    }

    /// <summary>Carries <typeparamref name="TValue"/> as <typeparamref name="TSurrogate"/> (which needs a generated codec).</summary>
    public SerializerBuilder AddConverter<TValue, TSurrogate>(IConverter<TValue, TSurrogate> converter)
        where TSurrogate : struct
    {
        ArgumentNullException.ThrowIfNull(converter);
        _registrations.Add(m => m.AddConverter(() => converter));
        return this;
    }

    /// <summary>
    /// Opts the types for which <paramref name="isSupported"/> returns true into System.Text.Json, when no generated,
    /// registered or built-in codec applies. Nothing is ever carried as JSON implicitly. Default options:
    /// <see cref="JsonSerializerDefaults.General"/> with <see cref="JsonSerializerOptions.IncludeFields"/> on (so tuples
    /// keep their items) and reflection-based metadata.
    /// </summary>
    public SerializerBuilder AddJsonSerializer(Func<Type, bool> isSupported, JsonSerializerOptions? jsonSerializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(isSupported);
        JsonSerializerOptions options = jsonSerializerOptions ?? new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            IncludeFields = true,
        };
        options.TypeInfoResolver ??= new DefaultJsonTypeInfoResolver();
        options.MakeReadOnly();
        Json = new JsonFallback(isSupported, options);
        return this;
    }

    /// <summary>Lets the serializer carry grain references (the runtime supplies the resolver).</summary>
    public SerializerBuilder UseGrainReferenceResolver(IGrainReferenceResolver resolver)
    {
        GrainReferenceResolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        return this;
    }

    /// <summary>Lets the serializer carry cancellable <see cref="CancellationToken"/>s (the runtime supplies the bridge).</summary>
    public SerializerBuilder UseCancellationTokenBridge(ICancellationTokenBridge bridge)
    {
        CancellationTokenBridge = bridge ?? throw new ArgumentNullException(nameof(bridge));
        return this;
    }

    /// <summary>Builds the codec provider.</summary>
    public CodecProvider Build() => new(this);

    internal void ApplyRegistrations(SerializationManifest manifest)
    {
        foreach (Action<SerializationManifest> registration in _registrations)
        {
            registration(manifest);
        }
    }
}
