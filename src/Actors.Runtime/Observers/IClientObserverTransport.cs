using Actors.Invocation;

namespace Actors.Hosting;

/// <summary>
/// Carries a call to an observer that a client created to that client (the gateway implements it over the client's
/// connection). Registered as a singleton by the host; without one, calls to client observers fail with
/// <see cref="Runtime.ClientNotAvailableException"/>.
/// </summary>
public interface IClientObserverTransport
{
    /// <summary>
    /// Sends <paramref name="request"/> (whose target is an observer id owned by <paramref name="clientId"/>) to that client
    /// and returns the observer's result: null for Task, ValueTask and one-way methods (which complete once sent).
    /// </summary>
    /// <exception cref="Runtime.ClientNotAvailableException">The client is not connected to this silo.</exception>
    ValueTask<object?> InvokeAsync(string clientId, GrainCallRequest request, CancellationToken cancellationToken);
}
