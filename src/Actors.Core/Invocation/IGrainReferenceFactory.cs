namespace Actors.Invocation;

/// <summary>Builds a grain (or observer) reference of any grain (or observer) interface to an exact id (what the serializer needs to rebuild references it reads).</summary>
public interface IGrainReferenceFactory
{
    /// <summary>A reference of interface <paramref name="grainInterface"/> to exactly <paramref name="grainId"/>.</summary>
    /// <exception cref="ArgumentException">The type is not a grain interface.</exception>
    IGrain GetGrain(Type grainInterface, GrainId grainId);

    /// <summary>A reference of observer interface <paramref name="observerInterface"/> to the observer <paramref name="observerId"/> (an <see cref="ObserverIds"/> id).</summary>
    /// <exception cref="ArgumentException">The type is not an observer interface, or the id is not an observer id.</exception>
    IGrainObserver GetObserver(Type observerInterface, GrainId observerId);
}
