namespace Actors.Invocation;

/// <summary>Builds a grain reference of any grain interface to an exact grain id (what the serializer needs to rebuild references it reads).</summary>
public interface IGrainReferenceFactory
{
    /// <summary>A reference of interface <paramref name="grainInterface"/> to exactly <paramref name="grainId"/>.</summary>
    /// <exception cref="ArgumentException">The type is not a grain interface.</exception>
    IGrain GetGrain(Type grainInterface, GrainId grainId);
}
