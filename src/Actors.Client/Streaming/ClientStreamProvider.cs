using Actors.Runtime;
using Actors.Streams;
using Actors.Streams.Cluster;

namespace Actors.Client;

/// <summary>A stream provider of the cluster seen from a gateway client: hands out <see cref="ClientAsyncStream{T}"/>s.</summary>
internal sealed class ClientStreamProvider(IClusterClient client, string name, ClientStreams streams) : IStreamProvider
{
    public string Name => name;

    public bool IsRewindable => true;

    public ClientStreams Streams => streams;

    public IAsyncStream<T> GetStream<T>(StreamId streamId) => new ClientAsyncStream<T>(this, streamId);

    /// <summary>The agent of <paramref name="streamId"/>, on the silo holding the stream.</summary>
    public IStreamAgentGrain Agent(StreamId streamId) => client.GetGrain<IStreamAgentGrain>(StreamAgentKeys.Of(name, streamId));
}
