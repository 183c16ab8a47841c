using System.Collections.Concurrent;
using Actors.Invocation;
using Actors.Runtime;

namespace Actors.Hosting.Gateway;

/// <summary>
/// The gateway's connections that host observers, by client id (the latest connection of a client wins), and the
/// <see cref="IClientObserverTransport"/> that sends observer calls over them.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class ClientConnections : IClientObserverTransport
{
    private readonly ConcurrentDictionary<string, ClientObserverCalls> _byClient = new(StringComparer.Ordinal);

    public void Register(string clientId, ClientObserverCalls connection) => _byClient[clientId] = connection;

    public void Unregister(string clientId, ClientObserverCalls connection)
        => _byClient.TryRemove(new KeyValuePair<string, ClientObserverCalls>(clientId, connection));

    /// <inheritdoc />
    public ValueTask<object?> InvokeAsync(string clientId, GrainCallRequest request, CancellationToken cancellationToken)
        => _byClient.TryGetValue(clientId, out ClientObserverCalls? connection)
            ? connection.InvokeAsync(request, cancellationToken)
            : ValueTask.FromException<object?>(new ClientNotAvailableException(
                $"Client '{clientId}', which owns observer {request.Target}, is not connected to this silo's gateway; call {request.Method.Key} not delivered."));
}
