using System.Collections.Concurrent;
using Actors.Serialization.Cloning;
using Actors.Serialization.Codecs;

namespace Actors.Serialization;

/// <summary>
/// The registrations of one serializer: codecs, copiers, converters and type aliases, filled by
/// <see cref="ISerializationManifestProvider"/>s (generated code) and <see cref="SerializerBuilder"/>.
/// </summary>
/// <remarks>Thread-safe. A later registration for the same type replaces an earlier one.</remarks>
public sealed class SerializationManifest
{
    private readonly TypeRegistry _types;

    internal SerializationManifest(TypeRegistry types)
    {
        _types = types;
    }

    internal ConcurrentDictionary<Type, Func<ICodecProvider, IFieldCodec>> Codecs { get; } = new();

    internal ConcurrentDictionary<Type, Type> GenericCodecs { get; } = new();

    internal ConcurrentDictionary<Type, Func<ICodecProvider, IDeepCopier>> Copiers { get; } = new();

    internal ConcurrentDictionary<Type, Type> GenericCopiers { get; } = new();

    internal ConcurrentDictionary<Type, Func<ICodecProvider, IExceptionLayersCodec>> ExceptionCodecs { get; } = new();

    internal ConcurrentDictionary<Type, Func<ICodecProvider, object>> Converters { get; } = new();

    /// <summary>Registers the codec of <typeparamref name="T"/>.</summary>
    public void AddCodec<T>(Func<ICodecProvider, IFieldCodec<T>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Codecs[typeof(T)] = factory;
        _types.AddKnownType(typeof(T));
    }

    /// <summary>
    /// Registers an open generic codec: for a closed <paramref name="typeDefinition"/> the codec is
    /// <paramref name="codecDefinition"/> closed over the same type arguments (constructed with an <see cref="ICodecProvider"/>
    /// when it has such a constructor).
    /// </summary>
    public void AddGenericCodec(Type typeDefinition, Type codecDefinition)
    {
        RequireDefinitions(typeDefinition, codecDefinition);
        GenericCodecs[typeDefinition] = codecDefinition;
        _types.AddKnownType(typeDefinition);
    }

    /// <summary>Registers the copier of <typeparamref name="T"/>.</summary>
    public void AddCopier<T>(Func<ICodecProvider, IDeepCopier<T>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Copiers[typeof(T)] = factory;
    }

    /// <summary>Registers an open generic copier (see <see cref="AddGenericCodec"/>).</summary>
    public void AddGenericCopier(Type typeDefinition, Type copierDefinition)
    {
        RequireDefinitions(typeDefinition, copierDefinition);
        GenericCopiers[typeDefinition] = copierDefinition;
    }

    /// <summary>Registers the generated class layers of the exception type <typeparamref name="TException"/>.</summary>
    public void AddExceptionCodec<TException>(Func<ICodecProvider, IExceptionLayersCodec> factory)
        where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(factory);
        ExceptionCodecs[typeof(TException)] = factory;
        _types.AddKnownType(typeof(TException));
    }

    /// <summary>Registers a converter: <typeparamref name="TValue"/> is carried as <typeparamref name="TSurrogate"/>.</summary>
    public void AddConverter<TValue, TSurrogate>(Func<IConverter<TValue, TSurrogate>> factory)
        where TSurrogate : struct
    {
        ArgumentNullException.ThrowIfNull(factory);
        Converters[typeof(TValue)] = provider => new SurrogateCodec<TValue, TSurrogate>(provider, factory());
        _types.AddKnownType(typeof(TValue));
    }

    /// <summary>Registers the stable wire name of a type (its <see cref="AliasAttribute"/>).</summary>
    /// <exception cref="SerializerException">The alias already names another type.</exception>
    public void AddAlias(string alias, Type type)
    {
        ArgumentException.ThrowIfNullOrEmpty(alias);
        ArgumentNullException.ThrowIfNull(type);
        _types.AddAlias(alias, type);
    }

    private static void RequireDefinitions(Type typeDefinition, Type implementationDefinition)
    {
        ArgumentNullException.ThrowIfNull(typeDefinition);
        ArgumentNullException.ThrowIfNull(implementationDefinition);
        if (!typeDefinition.IsGenericTypeDefinition || !implementationDefinition.IsGenericTypeDefinition
            || typeDefinition.GetGenericArguments().Length != implementationDefinition.GetGenericArguments().Length)
        {
            throw new ArgumentException(
                $"'{typeDefinition}' and '{implementationDefinition}' must be generic type definitions with the same number of type parameters.");
        }
    }
}
