using System.Reflection;
using Actors.Runtime;

namespace Actors.Invocation;

/// <summary>
/// An <see cref="IGrainFactory"/> over any <see cref="IGrainCallInvoker"/>: in a silo over the local dispatcher, in a
/// client over a gateway connection. Grain references are the code generator's (an interface it did not process is
/// refused with <see cref="GrainInterfaceNotGeneratedException"/>); observer references and marker interfaces without
/// methods are runtime proxies (<see cref="DispatchProxy"/>).
/// </summary>
/// <remarks>
/// Keys are put into canonical form: a string as is, a Guid in "N" format, an integer in invariant decimal. The grain
/// type of a reference comes from the resolver given to the constructor, or else from the interface
/// (<see cref="GrainTypeNames.ForInterface"/>). Thread-safe; references are cheap and need no activation.
/// </remarks>
public sealed class GrainReferenceFactory : IGrainFactory, IGrainReferenceFactory
{
    private readonly IGrainCallInvoker _invoker;
    private readonly Func<Type, string> _grainTypeResolver;
    private readonly Func<Type, string, string> _prefixResolver;
    private readonly IObjectReferenceRegistry? _objects;

    /// <summary>Creates a factory whose references send calls to <paramref name="invoker"/>.</summary>
    public GrainReferenceFactory(IGrainCallInvoker invoker)
        : this(invoker, GrainTypeNames.ForInterface)
    {
    }

    /// <summary>Creates a factory with a custom interface-to-grain-type resolver.</summary>
    /// <param name="invoker">Where calls go.</param>
    /// <param name="grainTypeResolver">Maps a grain interface to the grain type name put in the <see cref="GrainId"/>.</param>
    /// <param name="prefixResolver">
    /// Maps a grain interface and a class name prefix to a grain type name; default: the type name derived from the
    /// prefix's last name part (<see cref="GrainTypeNames.ForClassName"/>).
    /// </param>
    /// <param name="objects">
    /// Where <see cref="CreateObjectReference{TGrainObserverInterface}"/> registers observer objects (the silo's local
    /// objects, or a client's); null: this factory cannot create object references.
    /// </param>
    public GrainReferenceFactory(IGrainCallInvoker invoker, Func<Type, string> grainTypeResolver, Func<Type, string, string>? prefixResolver = null, IObjectReferenceRegistry? objects = null)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(grainTypeResolver);
        _invoker = invoker;
        _grainTypeResolver = grainTypeResolver;
        _prefixResolver = prefixResolver ?? ((_, prefix) => GrainTypeNames.ForClassName(prefix));
        _objects = objects;
    }

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(primaryKey);
        return (TGrainInterface)GetGrain(typeof(TGrainInterface), primaryKey, grainClassNamePrefix);
    }

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithGuidKey
        => (TGrainInterface)GetGrain(typeof(TGrainInterface), GrainIdKeyExtensions.CreateGuidKey(primaryKey), grainClassNamePrefix);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithIntegerKey
        => (TGrainInterface)GetGrain(typeof(TGrainInterface), GrainIdKeyExtensions.CreateIntegerKey(primaryKey), grainClassNamePrefix);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithGuidCompoundKey
    {
        ArgumentNullException.ThrowIfNull(keyExtension);
        return (TGrainInterface)GetGrain(typeof(TGrainInterface), GrainIdKeyExtensions.CreateGuidKey(primaryKey, keyExtension), grainClassNamePrefix);
    }

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithIntegerCompoundKey
    {
        ArgumentNullException.ThrowIfNull(keyExtension);
        return (TGrainInterface)GetGrain(typeof(TGrainInterface), GrainIdKeyExtensions.CreateIntegerKey(primaryKey, keyExtension), grainClassNamePrefix);
    }

    /// <inheritdoc />
    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => GetGrain(grainInterfaceType, GrainIdKeyExtensions.CreateGuidKey(grainPrimaryKey));

    /// <inheritdoc />
    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey) => GetGrain(grainInterfaceType, GrainIdKeyExtensions.CreateIntegerKey(grainPrimaryKey));

    /// <inheritdoc />
    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension)
    {
        ArgumentNullException.ThrowIfNull(keyExtension);
        return GetGrain(grainInterfaceType, GrainIdKeyExtensions.CreateGuidKey(grainPrimaryKey, keyExtension));
    }

    /// <inheritdoc />
    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension)
    {
        ArgumentNullException.ThrowIfNull(keyExtension);
        return GetGrain(grainInterfaceType, GrainIdKeyExtensions.CreateIntegerKey(grainPrimaryKey, keyExtension));
    }

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId)
        where TGrainInterface : IAddressable
        => (TGrainInterface)(object)GetGrain(typeof(TGrainInterface), grainId);

    /// <inheritdoc />
    public IAddressable GetGrain(GrainId grainId) => GetGrain(typeof(IGrain), grainId);

    /// <summary>A reference of interface <paramref name="grainInterface"/> to the grain with the canonical key <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The type is not a grain interface.</exception>
    public IGrain GetGrain(Type grainInterface, string key) => GetGrain(grainInterface, key, grainClassNamePrefix: null);

    /// <summary>
    /// A reference of interface <paramref name="grainInterface"/> to the grain with the canonical key
    /// <paramref name="key"/>, implemented by the class <paramref name="grainClassNamePrefix"/> selects (null: the
    /// resolver's choice).
    /// </summary>
    /// <exception cref="ArgumentException">The type is not a grain interface, or no class matches the prefix.</exception>
    public IGrain GetGrain(Type grainInterface, string key, string? grainClassNamePrefix)
    {
        ArgumentNullException.ThrowIfNull(grainInterface);
        ArgumentException.ThrowIfNullOrEmpty(key);
        string type = grainClassNamePrefix is null ? _grainTypeResolver(grainInterface) : _prefixResolver(grainInterface, grainClassNamePrefix);
        return GetGrain(grainInterface, GrainId.Create(type, key));
    }

    /// <summary>A reference of interface <paramref name="grainInterface"/> to exactly <paramref name="grainId"/>.</summary>
    /// <exception cref="ArgumentException">The type is not a grain interface.</exception>
    /// <exception cref="GrainInterfaceNotGeneratedException">The code generator did not process the interface.</exception>
    public IGrain GetGrain(Type grainInterface, GrainId grainId)
    {
        ArgumentNullException.ThrowIfNull(grainInterface);
        if (!grainInterface.IsInterface || !typeof(IGrain).IsAssignableFrom(grainInterface))
        {
            throw new ArgumentException($"'{grainInterface.FullName}' is not a grain interface (an interface deriving from IGrain).", nameof(grainInterface));
        }

        if (GeneratedGrainCode.TryCreateReference(grainInterface, _invoker, grainId, out IGrain? generated))
        {
            return generated;
        }

        // A marker interface without methods (IGrain, a key marker) needs no generated code; anything else must have it.
        GeneratedGrainCode.EnsureGenerated(grainInterface);
        return (IGrain)CreateProxy(grainInterface, grainId);
    }

    /// <inheritdoc />
    public IGrainObserver GetObserver(Type observerInterface, GrainId observerId)
    {
        ArgumentNullException.ThrowIfNull(observerInterface);
        if (!observerInterface.IsInterface || !typeof(IGrainObserver).IsAssignableFrom(observerInterface) || !ObserverIds.IsObserver(observerId))
        {
            throw new ArgumentException($"'{observerInterface.FullName}' {observerId} is not an observer interface and observer id.", nameof(observerInterface));
        }

        return CreateObserver(observerInterface, observerId);
    }

    /// <inheritdoc />
    public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver
    {
        ArgumentNullException.ThrowIfNull(obj);
        Type type = typeof(TGrainObserverInterface);
        if (!type.IsInterface || type == typeof(IGrainObserver) || !type.IsInstanceOfType(obj))
        {
            throw new ArgumentException($"CreateObjectReference<{type.Name}> needs an observer interface deriving from IGrainObserver that '{obj.GetType().FullName}' implements.", nameof(obj));
        }

        IObjectReferenceRegistry registry = _objects
            ?? throw new NotSupportedException($"This grain factory cannot host observer objects, so CreateObjectReference<{type.Name}> is refused: create object references inside a silo or through a client that can receive calls from grains.");
        GeneratedGrainCode.EnsureGenerated(type); // before registering: a refused interface leaves nothing behind
        return (TGrainObserverInterface)CreateObserver(type, registry.Register(type, obj));
    }

    /// <inheritdoc />
    /// <remarks>Deleting an object that has no reference (or was deleted already) does nothing.</remarks>
    public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver
    {
        ArgumentNullException.ThrowIfNull(obj);
        _objects?.Unregister(obj);
    }

    // The generated reference of an observer interface; only one without methods may use a runtime proxy.
    private IGrainObserver CreateObserver(Type observerInterface, GrainId observerId)
    {
        if (GeneratedGrainCode.TryCreateObserverReference(observerInterface, _invoker, observerId, out IGrainObserver? generated))
        {
            return generated;
        }

        GeneratedGrainCode.EnsureGenerated(observerInterface);
        return (IGrainObserver)CreateProxy(observerInterface, observerId);
    }

    private object CreateProxy(Type interfaceType, GrainId grainId)
    {
        var proxy = (GrainProxy)DispatchProxy.Create(interfaceType, typeof(GrainProxy));
        proxy.Initialize(_invoker, grainId, interfaceType);
        return proxy;
    }
}
