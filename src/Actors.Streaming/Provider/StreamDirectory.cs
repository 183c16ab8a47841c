using Actors.Runtime;

namespace Actors.Streams;

/// <summary>
/// One directory log stream of a provider (every stream on a single silo, one partition's streams in a cluster): the
/// streams it lists and its version. Guarded by <see cref="Gate"/>.
/// </summary>
internal sealed class StreamDirectory(string logId)
{
    public string LogId { get; } = logId;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The listed streams, once read.</summary>
    public HashSet<StreamId>? Known { get; set; }

    /// <summary>The directory stream's version (the expected version of the next append).</summary>
    public long Version { get; set; }
}
