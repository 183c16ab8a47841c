using System.Globalization;
using Actors.Runtime;

namespace Actors.Streams.Cluster;

/// <summary>The keys of stream agents (<see cref="IStreamAgentGrain"/>), shared by silos and gateway clients.</summary>
public static class StreamAgentKeys
{
    /// <summary>
    /// <c>P:{len(ns)}:ns:key</c>: the agent's key of stream <paramref name="streamId"/> of provider <paramref name="provider"/>;
    /// the stream's queue and subscription log streams end in the same key, so all three land in one partition.
    /// </summary>
    public static string Of(string provider, StreamId streamId)
        => string.Create(CultureInfo.InvariantCulture, $"{provider}:{streamId.Namespace.Length}:{streamId.Namespace}:{streamId.Key}");
}
