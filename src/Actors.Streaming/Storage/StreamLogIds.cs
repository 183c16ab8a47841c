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
/// delivery (in a cluster one per partition, <c>stream:d:P:{partition}</c>, read when the partition's log opens).</item>
/// </list>
/// </summary>
/// <remarks>
/// The namespace's length makes the id unambiguous whatever characters the namespace holds. Grain streams are
/// <c>type/key</c> and reminder streams <c>reminders:p</c>, so none of these can collide with them. In a cluster, a
/// stream's partition is that of its agent grain (<c>streamagent/{Key}</c>), so the queue and subscription streams of one
/// stream land in the same partition, and the agent runs on its owner.
/// </remarks>
internal static class StreamLogIds
{
    private const string QueuePrefix = "stream:q:";
    private const string SubscriptionsPrefix = "stream:s:";
    private const string DirectoryPrefix = "stream:d:";

    /// <summary>The queue stream.</summary>
    public static string Queue(string provider, StreamId streamId) => QueuePrefix + Key(provider, streamId);

    /// <summary>The subscription stream.</summary>
    public static string Subscriptions(string provider, StreamId streamId) => SubscriptionsPrefix + Key(provider, streamId);

    /// <summary>The provider's directory stream (a single silo: one for every stream).</summary>
    public static string Directory(string provider) => DirectoryPrefix + provider;

    /// <summary>The directory stream of one partition's streams (a cluster: each partition's log lists its own streams).</summary>
    public static string Directory(string provider, int partition)
        => string.Create(CultureInfo.InvariantCulture, $"{DirectoryPrefix}{provider}:{partition}");

    /// <summary>
    /// <c>P:{len(ns)}:ns:key</c>: the part the queue and subscription ids share. In a cluster it is the key of the stream's
    /// agent grain, whose partition holds both log streams.
    /// </summary>
    public static string Key(string provider, StreamId streamId) => Cluster.StreamAgentKeys.Of(provider, streamId);

    /// <summary>
    /// Whether <paramref name="logStreamId"/> is a log stream of <paramref name="provider"/>; if so, <paramref name="key"/> is
    /// the stream's <see cref="Key"/> (queue and subscriptions) or null with <paramref name="partition"/> set (a partition's directory).
    /// </summary>
    public static bool TryParse(string logStreamId, string provider, out string? key, out int partition)
    {
        key = null;
        partition = -1;
        foreach (string prefix in (ReadOnlySpan<string>)[QueuePrefix, SubscriptionsPrefix])
        {
            if (logStreamId.StartsWith(prefix, StringComparison.Ordinal)
                && logStreamId.AsSpan(prefix.Length).StartsWith(provider, StringComparison.Ordinal)
                && logStreamId.Length > prefix.Length + provider.Length
                && logStreamId[prefix.Length + provider.Length] == ':')
            {
                key = logStreamId[prefix.Length..];
                return true;
            }
        }

        string directory = DirectoryPrefix + provider + ":";
        return logStreamId.StartsWith(directory, StringComparison.Ordinal)
            && int.TryParse(logStreamId.AsSpan(directory.Length), NumberStyles.None, CultureInfo.InvariantCulture, out partition);
    }
}
