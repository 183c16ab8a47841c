using Actors.Orleans.Log;
using Actors.Wal;

namespace Actors.Orleans.Storage;

/// <summary>A grain storage provider's streams keep only their newest checkpoint and what follows: only the newest value of a state is ever read.</summary>
internal sealed class StateRetentionSource(string provider) : IStreamRetentionSource
{
    public string Prefix { get; } = GrainStreamNames.StatePrefix(provider);

    public HistoryRetention Resolve(string streamId) => HistoryRetention.ReclaimAfterCheckpoint;
}
