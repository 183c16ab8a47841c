using Actors.Wal.Space;

namespace Actors.Wal;

/*
 * Incremental live-byte accounting. The liveness of a summary item (segment G, stream hash h) depends only on the
 * index entries with hash h (IsLive). So when a group changes the entries of some hashes (and adds records for them),
 * only those hashes' items change: subtract their live contribution in every segment before the change, apply it,
 * add the contribution after. Cost per group: O(changed streams x segments) dictionary or binary-search lookups,
 * instead of O(all summary items) per statistics call. Recovery and each space pass still recompute everything
 * (ComputeLiveBytes), which also bounds any drift; a test compares the two.
 */
public sealed partial class WriteAheadLog
{
    private readonly HashSet<ulong> _changedHashes = [];

    /// <summary>Subtracts (sign -1) or adds (sign +1) the live bytes of the changed hashes. Caller holds the state lock.</summary>
    private void AccountLiveBytes(int sign)
    {
        foreach (var (segmentId, summary) in _summaries)
        {
            long delta = 0;
            foreach (ulong hash in _changedHashes)
            {
                if (summary.TryGet(hash, out var item) && IsLive(hash, item, segmentId))
                {
                    delta += item.Bytes;
                }
            }

            summary.LiveBytes += sign * delta;
        }
    }

    /// <summary>The live bytes as a full recomputation would find them (tests check the incremental figures against it).</summary>
    internal (long Incremental, long Recomputed) CheckLiveBytes()
    {
        lock (_stateLock)
        {
            long incremental = _summaries.Values.Sum(s => s.LiveBytes);
            ComputeLiveBytes();
            return (incremental, _summaries.Values.Sum(s => s.LiveBytes));
        }
    }
}
