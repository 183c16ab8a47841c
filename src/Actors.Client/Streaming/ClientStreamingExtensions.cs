using System.Runtime.CompilerServices;
using Actors.Streams;

namespace Actors.Client;

/// <summary>Streams for gateway clients (Orleans' <c>client.GetStreamProvider("name")</c>).</summary>
public static class ClientStreamingExtensions
{
    private static readonly ConditionalWeakTable<IClusterClient, ClientStreams> Streams = [];

    /// <summary>
    /// The stream provider <paramref name="name"/> of the cluster, as seen from this client: produce to its streams and
    /// subscribe to them as a grain does. Cheap; no I/O (an unknown provider name fails the first operation).
    /// </summary>
    /// <remarks>
    /// Every operation is a call to the stream's agent grain on the silo that holds the stream, through whichever gateway
    /// the client is connected to. A subscription's events reach its observer in order, one at a time, at least once:
    /// the client pulls them and acknowledges what the observer handled, and after a reconnect it continues from the
    /// last acknowledged event, skipping what this client already handled. See docs/streams.md, "Gateway clients".
    /// </remarks>
    public static IStreamProvider GetStreamProvider(this IClusterClient client, string name)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new ClientStreamProvider(client, name, Streams.GetValue(client, static _ => new ClientStreams()));
    }

    /// <summary>
    /// Names this client's stream subscriptions <paramref name="streamClientId"/> instead of an id of its own, so that a
    /// later client with the same id (the process restarted) finds them with <c>GetAllSubscriptionHandles</c> and
    /// continues them with <c>ResumeAsync</c>, from the last event this id acknowledged (at least once: events handled
    /// but not yet acknowledged when the process ended come again, with their tokens) or from a token it stored.
    /// </summary>
    /// <remarks>
    /// Call it once, before the client's first <see cref="GetStreamProvider"/>. Without it a client's subscriptions belong
    /// to that client instance only: a restarted process subscribes again, and its old subscriptions are dropped after
    /// the provider's <c>ClientSubscriptionTimeout</c>. One running client per id: two clients pulling the same
    /// subscription at once would each get part of its events. See docs/streams.md, "Gateway clients".
    /// </remarks>
    /// <returns><paramref name="client"/>.</returns>
    /// <exception cref="InvalidOperationException">This client already uses streams under another id.</exception>
    public static IClusterClient UseStreamClientId(this IClusterClient client, string streamClientId)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(streamClientId);
        ClientStreams streams = Streams.GetValue(client, _ => new ClientStreams(streamClientId));
        if (!string.Equals(streams.ClientId, streamClientId, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"This client already uses streams under the id '{streams.ClientId}'; call UseStreamClientId(\"{streamClientId}\") once, before its first GetStreamProvider.");
        }

        return client;
    }
}
