using System.Globalization;
using Actors.Runtime;

namespace Actors.Streams.Storage;

/// <summary>
/// The log streams a stream provider keeps in its event log. For provider <c>P</c> and stream <c>(ns, key)</c>:
/// <list type="bullet">
/// <item><c>stream:q:P:{len(ns)}:ns:key</c>, the stream's queue: one log event per produced item (the log's version is
/// the item's sequence number);</item>
/// <item><c>stream:s:P:{len(ns)}:ns:key</c>, the stream's subscriptions and their delivery cursors;</item>
/// <item><c>stream:d:P</c>, the provider's directory: one event per stream ever used, read at silo start to resume
/// delivery.</item>
/// </list>
/// </summary>
/// <remarks>
/// The namespace's length makes the id unambiguous whatever characters the namespace holds. Grain streams are
/// <c>type/key</c> and reminder streams <c>reminders:p</c>, so none of these can collide with them. For a cluster, a
/// stream's partition is a function of <see cref="PartitionKey"/> (<c>ns/key</c>), so the queue and subscription
/// streams of one stream always land in the same partition.
/// </remarks>
internal static class StreamLogIds
{
    /// <summary>The queue stream.</summary>
    public static string Queue(string provider, StreamId streamId) => Of("q", provider, streamId);

    /// <summary>The subscription stream.</summary>
    public static string Subscriptions(string provider, StreamId streamId) => Of("s", provider, streamId);

    /// <summary>The provider's directory stream.</summary>
    public static string Directory(string provider) => "stream:d:" + provider;

    /// <summary>The key a cluster would map to a partition (the same for every log stream of one stream).</summary>
    public static string PartitionKey(StreamId streamId) => streamId.ToString();

    private static string Of(string kind, string provider, StreamId streamId)
        => string.Create(CultureInfo.InvariantCulture, $"stream:{kind}:{provider}:{streamId.Namespace.Length}:{streamId.Namespace}:{streamId.Key}");
}
