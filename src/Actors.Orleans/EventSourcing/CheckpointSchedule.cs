namespace Actors.Orleans.EventSourcing;

/// <summary>
/// When a journaled grain writes a checkpoint: about every <see cref="EveryEvents"/> events or <see cref="EveryBytes"/>
/// event bytes, staggered per stream so grains that advance together (activated together, driven by one load) do not all
/// checkpoint in the same group commit.
/// </summary>
/// <param name="EveryEvents">About this many events apart; 0 disables the trigger.</param>
/// <param name="EveryBytes">After about this many event bytes since the latest checkpoint; 0 disables the trigger.</param>
internal readonly record struct CheckpointSchedule(int EveryEvents, long EveryBytes)
{
    /// <summary>
    /// True when the versions after the latest checkpoint (exclusive) up to <paramref name="version"/> contain a version
    /// <c>v</c> with <c>(v + phase) % EveryEvents == 0</c> (the phase a stable hash of the stream id), or the bytes since it
    /// reach <see cref="EveryBytes"/> less up to half of it by the same hash. Deterministic across silos and restarts.
    /// </summary>
    public bool IsDue(ulong streamHash, long version, long checkpointVersion, long bytesSinceCheckpoint)
    {
        if (version <= checkpointVersion)
        {
            return false;
        }

        if (EveryEvents > 0)
        {
            long phase = (long)(streamHash % (ulong)EveryEvents);
            if ((version + phase) / EveryEvents > (checkpointVersion + phase) / EveryEvents)
            {
                return true;
            }
        }

        return EveryBytes > 0 && bytesSinceCheckpoint >= EveryBytes - (long)((UInt128)(ulong)EveryBytes * (streamHash >> 48) / (2UL << 16));
    }

    /// <summary>A hash of <paramref name="streamId"/> that is the same in every process (FNV-1a, then a 64-bit mixer).</summary>
    public static ulong StableHash(string streamId)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in streamId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return hash;
    }
}
