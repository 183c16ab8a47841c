using System.Collections.Concurrent;

namespace Actors.Client;

/// <summary>
/// One client's streaming state: the id that owns its subscriptions on the silos (<c>client-streams-{random}</c>,
/// stable for the client's lifetime, across reconnects; or the one the application chose with
/// <see cref="ClientStreamingExtensions.UseStreamClientId"/>, stable across processes) and the pump of each subscription
/// it attached an observer to. Thread-safe.
/// </summary>
internal sealed class ClientStreams(string? clientId = null)
{
    private readonly ConcurrentDictionary<Guid, IClientSubscriptionPump> _pumps = new();

    public string ClientId { get; } = clientId ?? "client-streams-" + Guid.NewGuid().ToString("N");

    /// <summary>Starts <paramref name="pump"/> for its subscription, stopping the one it replaces (a resume).</summary>
    public void Run(Guid subscriptionId, IClientSubscriptionPump pump)
    {
        IClientSubscriptionPump? replaced = null;
        _pumps.AddOrUpdate(subscriptionId, pump, (_, old) =>
        {
            replaced = old;
            return pump;
        });
        replaced?.Stop();
        pump.Start();
    }

    /// <summary>Stops the subscription's pump, if one runs.</summary>
    public void Stop(Guid subscriptionId)
    {
        if (_pumps.TryRemove(subscriptionId, out IClientSubscriptionPump? pump))
        {
            pump.Stop();
        }
    }
}
