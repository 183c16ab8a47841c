using Actors.Orleans.Storage;
using Actors.Wal;

namespace Actors.Orleans.Log;

/// <summary>
/// Which history each stream of the silo's log keeps once a checkpoint covers it, from the providers' registered
/// <see cref="IStreamRetentionSource"/>s; the engine asks it when compaction copies a stream
/// (<see cref="WriteAheadLogOptions.StreamRetention"/>).
/// </summary>
/// <remarks>
/// A stream no registered provider owns (its provider was renamed or removed, or this silo runs without it) keeps its
/// whole history when it is not a grain state stream: a journal's events may be the only record of what happened, and
/// nothing appends to such a stream while no provider owns it. A grain state stream keeps only its newest checkpoint and
/// what follows (no reader ever reads a state's older versions).
/// </remarks>
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

    /// <summary>The stream prefixes of the registered providers (one per provider).</summary>
    public IReadOnlyCollection<string> Prefixes => [.. _sources.Select(static s => s.Prefix)];

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

        return streamId.StartsWith(GrainStreamNames.AllStatesPrefix, StringComparison.Ordinal) ? HistoryRetention.ReclaimAfterCheckpoint : HistoryRetention.KeepAll;
    }
}
