using System.Globalization;
using System.Reflection;

namespace Actors.Invocation;

/// <summary>
/// An <see cref="IGrainFactory"/> over any <see cref="IGrainCallInvoker"/>: in a silo over the local dispatcher, in a
/// client over a gateway connection. References are runtime proxies (<see cref="DispatchProxy"/>); see
/// docs/architecture.md for the measured cost and why no source generator is used.
/// </summary>
/// <remarks>
/// Keys are put into canonical form: a string as is, a Guid in "N" format, an integer in invariant decimal. The grain
/// type of a reference comes from the resolver given to the constructor, or else from the interface
/// (<see cref="GrainTypeNames.ForInterface"/>). Thread-safe; references are cheap and need no activation.
/// </remarks>
public sealed class GrainReferenceFactory : IGrainFactory
{
    private readonly IGrainCallInvoker _invoker;
    private readonly Func<Type, string> _grainTypeResolver;

    /// <summary>Creates a factory whose references send calls to <paramref name="invoker"/>.</summary>
    public GrainReferenceFactory(IGrainCallInvoker invoker)
        : this(invoker, GrainTypeNames.ForInterface)
    {
    }

    /// <summary>Creates a factory with a custom interface-to-grain-type resolver.</summary>
    /// <param name="invoker">Where calls go.</param>
    /// <param name="grainTypeResolver">Maps a grain interface to the grain type name put in the <see cref="GrainId"/>.</param>
    public GrainReferenceFactory(IGrainCallInvoker invoker, Func<Type, string> grainTypeResolver)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(grainTypeResolver);
        _invoker = invoker;
        _grainTypeResolver = grainTypeResolver;
    }

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(primaryKey);
        return (TGrainInterface)GetGrain(typeof(TGrainInterface), primaryKey);
    }

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey)
        where TGrainInterface : IGrainWithGuidKey
        => (TGrainInterface)GetGrain(typeof(TGrainInterface), primaryKey.ToString("N"));

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey)
        where TGrainInterface : IGrainWithIntegerKey
        => (TGrainInterface)GetGrain(typeof(TGrainInterface), primaryKey.ToString(CultureInfo.InvariantCulture));

    /// <summary>A reference of interface <paramref name="grainInterface"/> to the grain with the canonical key <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The type is not a grain interface.</exception>
    public IGrain GetGrain(Type grainInterface, string key)
    {
        ArgumentNullException.ThrowIfNull(grainInterface);
        ArgumentException.ThrowIfNullOrEmpty(key);
        return GetGrain(grainInterface, GrainId.Create(_grainTypeResolver(grainInterface), key));
    }

    /// <summary>A reference of interface <paramref name="grainInterface"/> to exactly <paramref name="grainId"/>.</summary>
    /// <exception cref="ArgumentException">The type is not a grain interface.</exception>
    public IGrain GetGrain(Type grainInterface, GrainId grainId)
    {
        ArgumentNullException.ThrowIfNull(grainInterface);
        if (!grainInterface.IsInterface || !typeof(IGrain).IsAssignableFrom(grainInterface))
        {
            throw new ArgumentException($"'{grainInterface.FullName}' is not a grain interface (an interface deriving from IGrain).", nameof(grainInterface));
        }

        var proxy = (GrainProxy)DispatchProxy.Create(grainInterface, typeof(GrainProxy));
        proxy.Initialize(_invoker, grainId, grainInterface);
        return (IGrain)proxy;
    }
}
