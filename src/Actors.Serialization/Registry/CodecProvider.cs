using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Actors.Serialization.Cloning;
using Actors.Serialization.Codecs;
using Actors.Serialization.Hooks;

namespace Actors.Serialization;

/// <summary>
/// Finds and caches the codec and copier of every type, in this order: exceptions (always the exception codec, which
/// uses a generated codec for the type's own layers); registered codecs (generated, <see cref="RegisterSerializerAttribute"/>,
/// <see cref="SerializerBuilder"/>); converters; grain references; built-in codecs; types opted into JSON; interfaces
/// and abstract classes (by runtime type). A type matching none has no codec: <see cref="CodecNotFoundException"/>.
/// </summary>
/// <remarks>
/// Thread-safe. Built by <see cref="SerializerBuilder.Build"/>. Generated manifests of assemblies loaded later are
/// picked up on the next cache miss.
/// </remarks>
public sealed class CodecProvider : ICodecProvider
{
    private readonly ConcurrentDictionary<Type, IFieldCodec> _codecs = new();
    private readonly ConcurrentDictionary<Type, IDeepCopier> _copiers = new();
    private readonly ConcurrentDictionary<Type, IExceptionLayersCodec?> _exceptionCodecs = new();
    private readonly HashSet<Type> _appliedManifests = [];
    private readonly Func<Type, bool>? _typeFilter;
    private readonly bool _discoverAssemblies;
    private readonly Lock _manifestLock = new();
    private int _appliedDiscoveryVersion = -1;

    internal CodecProvider(SerializerBuilder builder)
    {
        Types = new TypeRegistry(this);
        Manifest = new SerializationManifest(Types);
        MaxDepth = builder.MaxDepth;
        _typeFilter = builder.TypeFilter;
        _discoverAssemblies = builder.DiscoverAssemblies;
        Json = builder.Json;
        GrainReferences = builder.GrainReferenceResolver;
        CancellationTokens = builder.CancellationTokenBridge;
        foreach (ISerializationManifestProvider manifest in builder.Manifests)
        {
            ApplyManifest(manifest);
        }

        RefreshManifests(loadReferencedAssemblies: false);
        builder.ApplyRegistrations(Manifest);
    }

    /// <summary>The deepest nesting of objects a value may have.</summary>
    public int MaxDepth { get; }

    internal TypeRegistry Types { get; }

    internal SerializationManifest Manifest { get; }

    internal JsonFallback? Json { get; }

    internal IGrainReferenceResolver? GrainReferences { get; }

    internal ICancellationTokenBridge? CancellationTokens { get; }

    /// <inheritdoc />
    public IFieldCodec<T> GetCodec<T>()
    {
        // One provider per process is the common case: a per-type static remembers the last provider's codec.
        if (LastCodec<T>.Value is { } last && ReferenceEquals(last.Owner, this))
        {
            return last.Codec;
        }

        var codec = (IFieldCodec<T>)GetCodec(typeof(T));
        LastCodec<T>.Value = new LastCodecEntry<T>(this, codec);
        return codec;
    }

    /// <inheritdoc />
    public IFieldCodec GetCodec(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return _codecs.TryGetValue(type, out IFieldCodec? codec) ? codec : AddCodec(type);
    }

    /// <inheritdoc />
    public bool TryGetCodec(Type type, [NotNullWhen(true)] out IFieldCodec? codec)
    {
        try
        {
            codec = GetCodec(type);
            return true;
        }
        catch (CodecNotFoundException)
        {
            codec = null;
            return false;
        }
    }

    /// <summary>Whether values of <paramref name="type"/> can be written and read (a type named by data must pass this).</summary>
    public bool IsSerializable(Type type) => TryGetCodec(type, out _);

    /// <inheritdoc />
    public IBaseCodec<T> GetBaseCodec<T>()
        where T : class => (typeof(Exception).IsAssignableFrom(typeof(T)) ? GetExceptionLayersCodec(typeof(T)) as IBaseCodec<T> : GetCodec(typeof(T)) as IBaseCodec<T>)
            ?? throw new CodecNotFoundException(typeof(T), "base codec (a generated codec)");

    /// <inheritdoc />
    public IValueSerializer<T> GetValueSerializer<T>()
        where T : struct => GetCodec(typeof(T)) as IValueSerializer<T> ?? throw new CodecNotFoundException(typeof(T), "struct serializer (a generated codec)");

    /// <inheritdoc />
    public IDeepCopier<T> GetDeepCopier<T>() => (IDeepCopier<T>)GetDeepCopier(typeof(T));

    /// <inheritdoc />
    public IDeepCopier GetDeepCopier(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return _copiers.TryGetValue(type, out IDeepCopier? copier) ? copier : AddCopier(type);
    }

    /// <inheritdoc />
    public IBaseCopier<T> GetBaseCopier<T>()
        where T : class => GetDeepCopier(typeof(T)) as IBaseCopier<T> ?? throw new CodecNotFoundException(typeof(T), "base copier (a generated copier)");

    /// <summary>The generated class layers of an exception type, or null when it has none.</summary>
    internal IExceptionLayersCodec? GetExceptionLayersCodec(Type exceptionType) =>
        _exceptionCodecs.GetOrAdd(exceptionType, static (type, self) =>
            self.Manifest.ExceptionCodecs.TryGetValue(type, out Func<ICodecProvider, IExceptionLayersCodec>? factory) ? factory(self) : null, this);

    /// <summary>Whether the builder's type filter (if any) admits <paramref name="type"/>.</summary>
    internal bool PassesTypeFilter(Type type) => _typeFilter is null || WellKnownTypeIds.GetId(type) != 0 || _typeFilter(type);

    /// <summary>Applies the manifests of assemblies loaded since the last call (when discovery is on).</summary>
    internal void RefreshManifests(bool loadReferencedAssemblies)
    {
        if (!_discoverAssemblies)
        {
            return;
        }

        if (loadReferencedAssemblies)
        {
            ManifestDiscovery.LoadReferencedAssemblies();
        }

        int version = ManifestDiscovery.Version;
        if (version == Volatile.Read(ref _appliedDiscoveryVersion))
        {
            return;
        }

        foreach (ISerializationManifestProvider manifest in ManifestDiscovery.LoadedManifests())
        {
            ApplyManifest(manifest);
        }

        Volatile.Write(ref _appliedDiscoveryVersion, version);
    }

    private void ApplyManifest(ISerializationManifestProvider manifest)
    {
        lock (_manifestLock)
        {
            if (_appliedManifests.Add(manifest.GetType()))
            {
                manifest.Configure(Manifest);
            }
        }
    }

    private IFieldCodec AddCodec(Type type)
    {
        IFieldCodec? codec = PassesTypeFilter(type) ? CreateCodec(type) : null;
        if (codec is null && _typeFilter?.Invoke(type) != false)
        {
            RefreshManifests(loadReferencedAssemblies: false);
            codec = CreateCodec(type);
        }

        return codec is null ? throw new CodecNotFoundException(type) : _codecs.GetOrAdd(type, codec);
    }

    private IFieldCodec? CreateCodec(Type type)
    {
        if (typeof(Exception).IsAssignableFrom(type))
        {
            return (IFieldCodec)BuiltInCodecs.Instantiate(typeof(ExceptionCodec<>).MakeGenericType(type), this);
        }

        if (Manifest.Codecs.TryGetValue(type, out Func<ICodecProvider, IFieldCodec>? factory))
        {
            return factory(this);
        }

        if (type.IsConstructedGenericType && Manifest.GenericCodecs.TryGetValue(type.GetGenericTypeDefinition(), out Type? generic))
        {
            return (IFieldCodec)BuiltInCodecs.Instantiate(generic.MakeGenericType(type.GenericTypeArguments), this);
        }

        if (Manifest.Converters.TryGetValue(type, out Func<ICodecProvider, object>? converter))
        {
            return (IFieldCodec)converter(this);
        }

        if (IsGrainReference(type))
        {
            Type declared = type == typeof(GrainReferenceWireType) ? typeof(object) : type;
            return (IFieldCodec)Activator.CreateInstance(typeof(GrainReferenceCodec<>).MakeGenericType(declared), GrainReferences)!;
        }

        if (BuiltInCodecs.CreateCodec(type, this) is { } builtIn)
        {
            return builtIn;
        }

        if (Json is not null && !type.IsInterface && Json.IsSupported(type))
        {
            return (IFieldCodec)Activator.CreateInstance(typeof(JsonCodec<>).MakeGenericType(type), Json.Options)!;
        }

        if (type.IsInterface || type.IsAbstract)
        {
            return (IFieldCodec)Activator.CreateInstance(typeof(AbstractTypeCodec<>).MakeGenericType(type))!;
        }

        return null;
    }

    private IDeepCopier AddCopier(Type type)
    {
        IDeepCopier? copier = PassesTypeFilter(type) ? CreateCopier(type) : null;
        if (copier is null && _typeFilter?.Invoke(type) != false)
        {
            RefreshManifests(loadReferencedAssemblies: false);
            copier = CreateCopier(type);
        }

        return copier is null ? throw new CodecNotFoundException(type, "copier") : _copiers.GetOrAdd(type, copier);
    }

    private IDeepCopier? CreateCopier(Type type)
    {
        if (ImmutableTypes.IsShallowCopyable(type, this))
        {
            return (IDeepCopier)typeof(ShallowCopier<>).MakeGenericType(type).GetField(nameof(ShallowCopier<int>.Instance))!.GetValue(null)!;
        }

        if (Manifest.Copiers.TryGetValue(type, out Func<ICodecProvider, IDeepCopier>? factory))
        {
            return factory(this);
        }

        if (type.IsConstructedGenericType && Manifest.GenericCopiers.TryGetValue(type.GetGenericTypeDefinition(), out Type? generic))
        {
            return (IDeepCopier)BuiltInCodecs.Instantiate(generic.MakeGenericType(type.GenericTypeArguments), this);
        }

        if (Manifest.Converters.TryGetValue(type, out Func<ICodecProvider, object>? converter))
        {
            return (IDeepCopier)converter(this);
        }

        if (BuiltInCodecs.CreateCopier(type, this) is { } builtIn)
        {
            return builtIn;
        }

        if (!type.IsAbstract && !type.IsInterface && ImmutableTypes.IsInferredImmutable(type, this))
        {
            return (IDeepCopier)typeof(ShallowCopier<>).MakeGenericType(type).GetField(nameof(ShallowCopier<int>.Instance))!.GetValue(null)!;
        }

        if (Json is not null && !type.IsInterface && Json.IsSupported(type))
        {
            return (IDeepCopier)Activator.CreateInstance(typeof(JsonCodec<>).MakeGenericType(type), Json.Options)!;
        }

        if (type.IsInterface || type.IsAbstract)
        {
            return (IDeepCopier)Activator.CreateInstance(typeof(AbstractTypeCodec<>).MakeGenericType(type))!;
        }

        return null;
    }

    private static class LastCodec<T>
    {
        // Read and written as one reference, so a reader never pairs one provider with another's codec.
        public static LastCodecEntry<T>? Value;
    }

    private sealed record LastCodecEntry<T>(CodecProvider Owner, IFieldCodec<T> Codec);

    internal bool IsGrainReference(Type type) =>
        GrainReferences is not null && (type == typeof(GrainReferenceWireType) || GrainReferences.IsGrainReferenceType(type));
}
