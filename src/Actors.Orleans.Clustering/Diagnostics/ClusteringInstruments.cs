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
    private static readonly Counter<long> Claims = Meter.CreateCounter<long>("actors.cluster.partitions.claimed", description: "Partitions given their first leader by this silo's placement (a conditional insert of the row).");
    private static readonly Counter<long> Epochs = Meter.CreateCounter<long>("actors.cluster.partitions.epochs_taken", description: "Partitions this silo started leading under a new epoch (once per partition per silo start).");
    private static readonly Counter<long> RefusedCalls = Meter.CreateCounter<long>("actors.cluster.storage.refused", description: "Storage calls refused because this silo does not lead the grain's partition.");
    private static readonly Counter<long> RefusedPlacements = Meter.CreateCounter<long>("actors.cluster.placement.refused", description: "Activations not placed because the partition's leader is not an active silo (or its row could not be read).");

    public static void PartitionClaimed() => Claims.Add(1);

    public static void EpochTaken() => Epochs.Add(1);

    public static void StorageRefused() => RefusedCalls.Add(1);

    public static void PlacementRefused() => RefusedPlacements.Add(1);
}
