using Actors.Runtime;

namespace Actors;

/// <summary>
/// Creates references to grains (Orleans' <c>IGrainFactory</c>). A reference is cheap, needs no activation and works
/// in-silo and from clients.
/// </summary>
/// <remarks>
/// <c>grainClassNamePrefix</c> picks the implementation when several grain classes implement the interface: the class
/// whose full name starts with the prefix. Inside a silo the prefix is matched against the registered classes; a client
/// (which does not know the classes) derives the grain type from the prefix's last name part, so give the full class
/// name there.
/// </remarks>
public interface IGrainFactory
{
    /// <summary>A reference to the grain implementing <typeparamref name="TGrainInterface"/> with a string key.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithStringKey;

    /// <summary>A reference to the grain implementing <typeparamref name="TGrainInterface"/> with a Guid key.</summary>
    TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithGuidKey;

    /// <summary>A reference to the grain implementing <typeparamref name="TGrainInterface"/> with an integer key.</summary>
    TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithIntegerKey;

    /// <summary>A reference to the grain implementing <typeparamref name="TGrainInterface"/> with a Guid key and a key extension.</summary>
    TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithGuidCompoundKey;

    /// <summary>A reference to the grain implementing <typeparamref name="TGrainInterface"/> with an integer key and a key extension.</summary>
    TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithIntegerCompoundKey;

    /// <summary>A reference of interface <paramref name="grainInterfaceType"/> to the grain with a Guid key.</summary>
    IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey);

    /// <summary>A reference of interface <paramref name="grainInterfaceType"/> to the grain with an integer key.</summary>
    IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey);

    /// <summary>A reference of interface <paramref name="grainInterfaceType"/> to the grain with a string key.</summary>
    IGrain GetGrain(Type grainInterfaceType, string grainPrimaryKey);

    /// <summary>A reference of interface <paramref name="grainInterfaceType"/> to the grain with a Guid key and a key extension.</summary>
    IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension);

    /// <summary>A reference of interface <paramref name="grainInterfaceType"/> to the grain with an integer key and a key extension.</summary>
    IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension);

    /// <summary>A reference of interface <typeparamref name="TGrainInterface"/> to exactly <paramref name="grainId"/>.</summary>
    TGrainInterface GetGrain<TGrainInterface>(GrainId grainId)
        where TGrainInterface : IAddressable;

    /// <summary>A reference to exactly <paramref name="grainId"/> (implementing only <see cref="IAddressable"/>; use the typed overload to call it).</summary>
    IAddressable GetGrain(GrainId grainId);

    /// <summary>
    /// Makes <paramref name="obj"/> callable by grains through the returned reference (pass it to a grain, which calls it
    /// back). In a silo, the object's calls run on the thread pool, one at a time per object, outside any grain's turn.
    /// The same object always gets the same reference until <see cref="DeleteObjectReference{TGrainObserverInterface}"/>;
    /// the factory holds the object strongly until then.
    /// </summary>
    /// <exception cref="ArgumentException"><typeparamref name="TGrainObserverInterface"/> is not an interface deriving from <see cref="IGrainObserver"/>, or the object does not implement it.</exception>
    /// <exception cref="NotSupportedException">This factory cannot host objects that grains call back.</exception>
    TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver;

    /// <summary>Stops delivering calls to <paramref name="obj"/>; later calls through its reference fail with <see cref="ClientNotAvailableException"/>.</summary>
    void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver;
}
