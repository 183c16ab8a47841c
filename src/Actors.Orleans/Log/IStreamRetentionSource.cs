using Actors.Wal;

namespace Actors.Orleans.Log;

/// <summary>
/// A provider's say in what the silo's log keeps of its streams' history: registered in the service collection, read by
/// <see cref="SiloLog"/> when it opens.
/// </summary>
public interface IStreamRetentionSource
{
    /// <summary>The stream-id prefix the provider owns (see <c>GrainStreamNames</c>).</summary>
    string Prefix { get; }

    /// <summary>
    /// The history policy of one of the provider's streams. Called on the log's maintenance thread: fast, never throwing,
    /// the same answer for a stream every time.
    /// </summary>
    HistoryRetention Resolve(string streamId);
}
