using Actors.Invocation;

namespace Actors.Client;

/// <summary>Creates the grain references of a client over its invoker.</summary>
internal static class ClientGrainReferences
{
    /// <summary>Returns the runtime's <see cref="GrainReferenceFactory"/> over <paramref name="invoker"/>: proxies whose calls go through the gateway.</summary>
    public static IGrainFactory Create(IGrainCallInvoker invoker) => new GrainReferenceFactory(invoker);
}
