namespace Actors.Persistence.Wal;

/// <summary>When the provider writes a grain checkpoint from the grain's confirmed state.</summary>
/// <param name="EveryEvents">About this many events apart (staggered per grain, see <see cref="IsDue(string, long, long, long)"/>); 0 disables this trigger.</param>
/// <param name="EveryBytes">After about this many event bytes since the latest checkpoint (staggered per grain); 0 disables this trigger.</param>
/// <param name="OnDeactivation">On graceful deactivation, when events follow the latest checkpoint.</param>
public readonly record struct CheckpointPolicy(int EveryEvents, long EveryBytes, bool OnDeactivation)
{
    /// <summary>
    /// True when either trigger fires for the events and bytes written since the latest checkpoint, with the same
    /// thresholds for every grain (the unstaggered rule; the provider uses <see cref="IsDue(string, long, long, long)"/>).
    /// </summary>
    public bool IsDue(long eventsSinceCheckpoint, long bytesSinceCheckpoint) =>
        eventsSinceCheckpoint > 0
        && ((EveryEvents > 0 && eventsSinceCheckpoint >= EveryEvents) || (EveryBytes > 0 && bytesSinceCheckpoint >= EveryBytes));

    /// <summary>
    /// True when a checkpoint of <paramref name="streamId"/> is due at <paramref name="version"/>, staggered per
    /// stream so that grains which advance together (activated together, driven by the same load) do not all
    /// checkpoint at the same moment.
    /// </summary>
    /// <remarks>
    /// Events: due when the versions since the latest checkpoint (<paramref name="version"/> minus
    /// <paramref name="eventsSinceCheckpoint"/>, exclusive, up to <paramref name="version"/>) contain a version
    /// <c>v</c> with <c>(v + phase) % EveryEvents == 0</c>, where the phase (<see cref="PhaseOf"/>) is a stable hash
    /// of the stream id in <c>[0, EveryEvents)</c>. Each grain thus checkpoints once every <see cref="EveryEvents"/>
    /// versions of its history, and of many grains at the same version about one in <see cref="EveryEvents"/> is due.
    /// Bytes: due when the bytes since the latest checkpoint reach <see cref="EveryBytes"/> less up to half of it, by
    /// the same phase. The schedule depends only on the stream id and the counts (deterministic across silos and
    /// restarts).
    /// </remarks>
    public bool IsDue(string streamId, long version, long eventsSinceCheckpoint, long bytesSinceCheckpoint)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        if (eventsSinceCheckpoint <= 0)
        {
            return false;
        }

        ulong hash = StableHash(streamId);
        if (EveryEvents > 0)
        {
            long phase = (long)(hash % (ulong)EveryEvents);
            long last = version - eventsSinceCheckpoint;
            if (FloorDiv(version + phase, EveryEvents) > FloorDiv(last + phase, EveryEvents))
            {
                return true;
            }
        }

        if (EveryBytes > 0)
        {
            // The hash's top 16 bits pick the fraction of the threshold taken off: [0, 1/2).
            long reduction = (long)((UInt128)(ulong)EveryBytes * (hash >> 48) / (2UL << 16));
            return bytesSinceCheckpoint >= EveryBytes - reduction;
        }

        return false;
    }

    /// <summary>The stream's events phase in <c>[0, EveryEvents)</c> (0 when the events trigger is off).</summary>
    public long PhaseOf(string streamId)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        return EveryEvents > 0 ? (long)(StableHash(streamId) % (ulong)EveryEvents) : 0;
    }

    /// <summary>The policy for a grain class: the attribute's settings where set, else this store default.</summary>
    public CheckpointPolicy With(WriteAheadLogAttribute? attribute) => attribute is null
        ? this
        : new CheckpointPolicy(
            attribute.CheckpointEveryEvents >= 0 ? attribute.CheckpointEveryEvents : EveryEvents,
            attribute.CheckpointEveryBytes >= 0 ? attribute.CheckpointEveryBytes : EveryBytes,
            OnDeactivation);

    private static long FloorDiv(long value, long divisor) => value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor);

    /// <summary>FNV-1a over the UTF-16 code units, finished with a 64-bit mixer: stable across processes (unlike string.GetHashCode).</summary>
    private static ulong StableHash(string value)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in value)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
