namespace Actors.Cluster.Partitioning;

/// <summary>What this silo is doing with one partition (its local view; the store's row is the truth about ownership).</summary>
public enum LocalPartitionState
{
    /// <summary>Not served here.</summary>
    None,

    /// <summary>Granted here; its logs are being opened.</summary>
    Opening,

    /// <summary>Served here under <see cref="PartitionRoute.Epoch"/>: its grains activate here, its logs accept writes.</summary>
    Serving,

    /// <summary>Being handed to another silo: its grains are deactivating or its files are in transit; calls wait.</summary>
    HandingOff,

    /// <summary>Its files were received and installed here; served once the store grants it.</summary>
    Installed,

    /// <summary>Owned here but its logs are missing or unreadable: it cannot be served (no silent empty state).</summary>
    Lost,
}

/// <summary>Where calls for a partition go, from this silo's view.</summary>
/// <param name="Kind">Serve here, wait, forward, or fail.</param>
/// <param name="Owner">The owning silo's name (forward target or the silo named in the failure).</param>
/// <param name="Epoch">The epoch this silo serves under (local only).</param>
/// <param name="Reason">Why the partition is unavailable.</param>
public readonly record struct PartitionRoute(PartitionRouteKind Kind, string? Owner, long Epoch, string? Reason);

/// <summary>The kinds of <see cref="PartitionRoute"/>.</summary>
public enum PartitionRouteKind
{
    /// <summary>This silo serves the partition.</summary>
    Local,

    /// <summary>The partition is changing hands (or being claimed): wait for the next change and route again.</summary>
    Wait,

    /// <summary>
    /// This silo serves the partition, but its replica does not hold its read lease (another replica may be taking over,
    /// or the followers' answers are late): wait until the lease is back or the ownership changes, and route again.
    /// </summary>
    WaitForReadLease,

    /// <summary>Another live silo owns it: forward the call there.</summary>
    Forward,

    /// <summary>Its owner is dead or lost its data: fail fast.</summary>
    Unavailable,
}
