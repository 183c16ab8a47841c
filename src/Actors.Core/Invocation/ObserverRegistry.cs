using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Actors.Invocation;

/// <summary>
/// The observer objects a process made callable (<see cref="IGrainFactory.CreateObjectReference{T}"/>), by observer id;
/// every id it issues is owned by <see cref="Owner"/>. An object keeps its id until it is unregistered.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class ObserverRegistry : IObjectReferenceRegistry
{
    private readonly ConcurrentDictionary<GrainId, IGrainObserver> _byId = new();
    private readonly ConditionalWeakTable<IGrainObserver, StrongBox<GrainId>> _ids = [];

    /// <summary>Creates a registry whose observer ids are owned by <paramref name="owner"/>.</summary>
    public ObserverRegistry(string owner)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        Owner = owner;
    }

    /// <summary>The owner part of the ids this registry issues.</summary>
    public string Owner { get; }

    /// <summary>The interfaces registered objects were made callable through.</summary>
    public GrainMethodRegistry Methods { get; } = new();

    /// <inheritdoc />
    public GrainId Register(Type interfaceType, IGrainObserver observer)
    {
        ArgumentNullException.ThrowIfNull(interfaceType);
        ArgumentNullException.ThrowIfNull(observer);
        Methods.RegisterInterface(interfaceType);
        GrainId id = _ids.GetValue(observer, _ => new StrongBox<GrainId>(ObserverIds.Create(Owner))).Value;
        _byId[id] = observer;
        return id;
    }

    /// <inheritdoc />
    public bool Unregister(IGrainObserver observer)
        => _ids.TryGetValue(observer, out StrongBox<GrainId>? id) && _ids.Remove(observer) && _byId.TryRemove(id.Value, out _);

    /// <summary>The object registered under <paramref name="id"/>.</summary>
    public bool TryGet(GrainId id, out IGrainObserver observer) => _byId.TryGetValue(id, out observer!);
}
