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
}
