using System.Diagnostics.Metrics;

namespace Actors.Orleans.Clustering.Diagnostics;

/// <summary>
/// Every instrument of the cluster layer, on the meter <see cref="MeterName"/> (seen by <c>dotnet-counters</c> and
/// OpenTelemetry without extra code).
/// </summary>
internal static class ClusteringInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Actors.Orleans.Clustering";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Claims = Meter.CreateCounter<long>("actors.cluster.partitions.claimed", unit: "{partition}", description: "Partitions given their first leader by this silo's placement (a conditional insert of the row).");
    private static readonly Counter<long> Epochs = Meter.CreateCounter<long>("actors.cluster.partitions.epochs_taken", unit: "{partition}", description: "Partitions this silo started leading under a new epoch (once per partition per silo start).");
    private static readonly Counter<long> Moves = Meter.CreateCounter<long>("actors.cluster.partitions.leaderships_moved", unit: "{partition}", description: "Partition leaderships this silo handed to another silo's replica to spread the leaderships again (a rebalance after a silo came back).");
    private static readonly Counter<long> Replacements = Meter.CreateCounter<long>("actors.cluster.partitions.replicas_replaced", unit: "{replica}", description: "Replicas of absent silos this silo, as a partition's leader, replaced by a replica on an active silo.");
    private static readonly Counter<long> ReplicaMoves = Meter.CreateCounter<long>("actors.cluster.partitions.replicas_moved", unit: "{replica}", description: "Replicas this silo, as a partition's leader, moved from a silo holding more than its share to one holding less (counted when the old replica is removed).");
    private static readonly Counter<long> RefusedCalls = Meter.CreateCounter<long>("actors.cluster.storage.refused", unit: "{call}", description: "Storage calls refused because this silo does not lead the grain's partition.");
    private static readonly Counter<long> RefusedPlacements = Meter.CreateCounter<long>("actors.cluster.placement.refused", unit: "{activation}", description: "Activations not placed because the partition's leader is not an active silo (or its row could not be read).");

    private static readonly Counter<long> FramesSent = Meter.CreateCounter<long>("actors.cluster.transport.frames_sent", unit: "{frame}", description: "Replication frames handed to Orleans for a peer silo.");
    private static readonly Counter<long> FramesReceived = Meter.CreateCounter<long>("actors.cluster.transport.frames_received", unit: "{frame}", description: "Replication frames accepted from a member silo of this cluster (before the look-up of the partition's replica).");
    private static readonly Counter<long> FramesDropped = Meter.CreateCounter<long>("actors.cluster.transport.frames_dropped", unit: "{frame}", description: "Replication frames dropped, by reason: no_route (no active silo serves the replica), overflow (the peer's queue is full), not_started, send_failed, wrong_replica (sent to an address another replica now has), unregistered (no replica of the partition here).");
    private static readonly Counter<long> FramesRefused = Meter.CreateCounter<long>("actors.cluster.transport.frames_refused", unit: "{frame}", description: "Replication frames refused at arrival, by reason: not_a_silo (a client's or a grain's call), not_member (not an active silo of the cluster, or a frame naming another silo than its caller), other_cluster, malformed.");

    public static void PartitionClaimed() => Claims.Add(1);

    public static void EpochTaken() => Epochs.Add(1);

    public static void LeadershipMoved() => Moves.Add(1);

    public static void ReplicaReplaced() => Replacements.Add(1);

    public static void ReplicaMoved() => ReplicaMoves.Add(1);

    public static void StorageRefused() => RefusedCalls.Add(1);

    public static void PlacementRefused() => RefusedPlacements.Add(1);

    public static void FrameSent() => FramesSent.Add(1);

    public static void FrameReceived() => FramesReceived.Add(1);

    public static void FrameDropped(string reason) => FramesDropped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public static void FrameRefused(string reason) => FramesRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
