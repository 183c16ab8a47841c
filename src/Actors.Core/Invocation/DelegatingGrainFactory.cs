using Actors.Runtime;

namespace Actors.Invocation;

/// <summary>
/// An <see cref="IGrainFactory"/> that forwards every overload to an inner factory: the base of clients that add
/// connection management to a <see cref="GrainReferenceFactory"/>.
/// </summary>
public abstract class DelegatingGrainFactory : IGrainFactory, IGrainReferenceFactory
{
    private readonly IGrainFactory _inner;

    /// <summary>Creates the factory over <paramref name="inner"/>.</summary>
    protected DelegatingGrainFactory(IGrainFactory inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithStringKey
        => _inner.GetGrain<TGrainInterface>(primaryKey, grainClassNamePrefix);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithGuidKey
        => _inner.GetGrain<TGrainInterface>(primaryKey, grainClassNamePrefix);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithIntegerKey
        => _inner.GetGrain<TGrainInterface>(primaryKey, grainClassNamePrefix);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithGuidCompoundKey
        => _inner.GetGrain<TGrainInterface>(primaryKey, keyExtension, grainClassNamePrefix);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithIntegerCompoundKey
        => _inner.GetGrain<TGrainInterface>(primaryKey, keyExtension, grainClassNamePrefix);

    /// <inheritdoc />
    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => _inner.GetGrain(grainInterfaceType, grainPrimaryKey);

    /// <inheritdoc />
    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey) => _inner.GetGrain(grainInterfaceType, grainPrimaryKey);

    /// <inheritdoc />
    public IGrain GetGrain(Type grainInterfaceType, string grainPrimaryKey) => _inner.GetGrain(grainInterfaceType, grainPrimaryKey);

    /// <inheritdoc />
    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => _inner.GetGrain(grainInterfaceType, grainPrimaryKey, keyExtension);

    /// <inheritdoc />
    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => _inner.GetGrain(grainInterfaceType, grainPrimaryKey, keyExtension);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId)
        where TGrainInterface : IAddressable
        => _inner.GetGrain<TGrainInterface>(grainId);

    /// <inheritdoc />
    public IAddressable GetGrain(GrainId grainId) => _inner.GetGrain(grainId);

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The inner factory cannot build references by grain id.</exception>
    public IGrain GetGrain(Type grainInterface, GrainId grainId) => _inner is IGrainReferenceFactory references
        ? references.GetGrain(grainInterface, grainId)
        : throw new NotSupportedException($"{_inner.GetType().Name} cannot build references by grain id.");

    /// <inheritdoc />
    public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver
        => _inner.CreateObjectReference<TGrainObserverInterface>(obj);

    /// <inheritdoc />
    public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver
        => _inner.DeleteObjectReference<TGrainObserverInterface>(obj);

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The inner factory cannot build references by id.</exception>
    public IGrainObserver GetObserver(Type observerInterface, GrainId observerId) => _inner is IGrainReferenceFactory references
        ? references.GetObserver(observerInterface, observerId)
        : throw new NotSupportedException($"{_inner.GetType().Name} cannot build references by id.");
}
