namespace Actors.Persistence.Wal;

/// <summary>When the provider writes a grain checkpoint from the grain's confirmed state.</summary>
/// <param name="EveryEvents">After this many events since the latest checkpoint; 0 disables this trigger.</param>
/// <param name="EveryBytes">After this many event bytes since the latest checkpoint; 0 disables this trigger.</param>
/// <param name="OnDeactivation">On graceful deactivation, when events follow the latest checkpoint.</param>
public readonly record struct CheckpointPolicy(int EveryEvents, long EveryBytes, bool OnDeactivation)
{
    /// <summary>True when either trigger fires for the events and bytes written since the latest checkpoint.</summary>
    public bool IsDue(long eventsSinceCheckpoint, long bytesSinceCheckpoint) =>
        eventsSinceCheckpoint > 0
        && ((EveryEvents > 0 && eventsSinceCheckpoint >= EveryEvents) || (EveryBytes > 0 && bytesSinceCheckpoint >= EveryBytes));

    /// <summary>The policy for a grain class: the attribute's settings where set, else this store default.</summary>
    public CheckpointPolicy With(WriteAheadLogAttribute? attribute) => attribute is null
        ? this
        : new CheckpointPolicy(
            attribute.CheckpointEveryEvents >= 0 ? attribute.CheckpointEveryEvents : EveryEvents,
            attribute.CheckpointEveryBytes >= 0 ? attribute.CheckpointEveryBytes : EveryBytes,
            OnDeactivation);
}
