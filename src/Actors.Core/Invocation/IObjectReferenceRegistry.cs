namespace Actors.Invocation;

/// <summary>
/// Where a process keeps the observer objects it made callable (<see cref="IGrainFactory.CreateObjectReference{T}"/>):
/// a client's observers (called over its gateway connection) or a silo's local objects.
/// </summary>
public interface IObjectReferenceRegistry
{
    /// <summary>Registers <paramref name="observer"/> for <paramref name="interfaceType"/> (the same object keeps its id) and returns its observer id.</summary>
    GrainId Register(Type interfaceType, IGrainObserver observer);

    /// <summary>Forgets <paramref name="observer"/>; false when it was not registered.</summary>
    bool Unregister(IGrainObserver observer);
}
