using Actors.Invocation;

namespace Actors.Client;

/// <summary>Creates the grain references of a client over its invoker.</summary>
internal static class ClientGrainReferences
{
    /// <summary>
    /// Returns the runtime's <see cref="GrainReferenceFactory"/> over <paramref name="invoker"/>: proxies whose calls go
    /// through the gateway, and object references hosted in <paramref name="observers"/>.
    /// </summary>
    public static IGrainFactory Create(IGrainCallInvoker invoker, ObserverRegistry observers)
        => new GrainReferenceFactory(invoker, GrainTypeNames.ForInterface, objects: observers);
}
