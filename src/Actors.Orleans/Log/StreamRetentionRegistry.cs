using Actors.Wal;

namespace Actors.Orleans.Log;

/// <summary>
/// Which history each stream of the silo's log keeps once a checkpoint covers it, from the providers' registered
/// <see cref="IStreamRetentionSource"/>s; the engine asks it when compaction copies a stream
/// (<see cref="WriteAheadLogOptions.StreamRetention"/>).
/// </summary>
/// <remarks>A stream no provider owns keeps only its newest checkpoint and what follows (nothing grows without bound).</remarks>
public sealed class StreamRetentionRegistry
{
    private readonly IStreamRetentionSource[] _sources;

    /// <summary>Creates the registry.</summary>
    /// <exception cref="InvalidOperationException">Two providers own overlapping prefixes (they would share streams).</exception>
    public StreamRetentionRegistry(IEnumerable<IStreamRetentionSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _sources = [.. sources];
        foreach (IStreamRetentionSource a in _sources)
        {
            foreach (IStreamRetentionSource b in _sources)
            {
                if (!ReferenceEquals(a, b) && b.Prefix.StartsWith(a.Prefix, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"Two write-ahead-log providers own overlapping stream prefixes '{a.Prefix}' and '{b.Prefix}': each provider needs a name of its own.");
                }
            }
        }
    }

    /// <summary>The policy of <paramref name="streamId"/>.</summary>
    public HistoryRetention Resolve(string streamId)
    {
        foreach (IStreamRetentionSource source in _sources)
        {
            if (streamId.StartsWith(source.Prefix, StringComparison.Ordinal))
            {
                return source.Resolve(streamId);
            }
        }

        return HistoryRetention.ReclaimAfterCheckpoint;
    }
}
