using System.Diagnostics.Metrics;
using Actors.Cluster.Messaging;

namespace Actors.Cluster.Diagnostics;

/// <summary>
/// The cluster layer's instruments, meter <see cref="MeterName"/>: connections, messages, forwarded calls, directory
/// traffic, lease renewals, deaths declared and partition moves. Watch with
/// <c>dotnet-counters monitor -n Actors.Silo --counters Actors.Cluster</c>.
/// </summary>
internal static class ClusterInstruments
{
    public const string MeterName = "Actors.Cluster";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> ConnectionsOpened = Meter.CreateCounter<long>("actors.cluster.connections.opened", description: "Silo-to-silo connections opened (tag direction).");
    private static readonly Counter<long> ConnectionsAborted = Meter.CreateCounter<long>("actors.cluster.connections.aborted", description: "Silo-to-silo connections closed for a reason (tag reason: protocol, rejected, tls, handshake-timeout, frame-timeout).");
    private static readonly Counter<long> MessagesSent = Meter.CreateCounter<long>("actors.cluster.messages.sent", description: "Silo-to-silo requests sent (tag type).");
    private static readonly Counter<long> CallsForwarded = Meter.CreateCounter<long>("actors.cluster.calls.forwarded", description: "Grain calls served by another silo.");
    private static readonly Counter<long> CallsWaitedForReadLease = Meter.CreateCounter<long>("actors.cluster.calls.read_lease_waits", description: "Grain calls that found their partition served by this silo while its replica's read lease had lapsed, and waited for it (once per call; tag partition).");
    private static readonly Counter<long> CallsUnavailable = Meter.CreateCounter<long>("actors.cluster.calls.unavailable", description: "Grain calls failed with PartitionUnavailableException.");
    private static readonly Counter<long> LeaseRenewalsFailed = Meter.CreateCounter<long>("actors.cluster.lease.renewals.failed", description: "Lease renewals that failed or timed out.");
    private static readonly Counter<long> DeathsDeclared = Meter.CreateCounter<long>("actors.cluster.silos.declared_dead", description: "Silos this silo declared dead after their lease expired.");
    private static readonly Counter<long> PartitionMoves = Meter.CreateCounter<long>("actors.cluster.partitions.moved", description: "Partitions this silo handed off (tag outcome: completed, aborted).");
    private static readonly Histogram<double> PartitionMoveDuration = Meter.CreateHistogram<double>("actors.cluster.partitions.move.duration", unit: "ms", description: "Time from the move decision to the grant, per partition handed off.");
    private static readonly Counter<long> PartitionOpenFailures = Meter.CreateCounter<long>("actors.cluster.partitions.open_failures", description: "Failed opens of a partition granted to this silo (tag kind: transient, retried; permanent, the partition unavailable here).");
    private static readonly Counter<long> ReplicasStopped = Meter.CreateCounter<long>("actors.cluster.replicas.stopped", description: "Partition replicas this silo stopped to start them again (tag reason: failed, its host failed; dropped, its partition could not be opened here).");
    private static readonly Counter<long> DirectoryRequests = Meter.CreateCounter<long>("actors.cluster.directory.requests", description: "Directory requests served (tag type).");

    public static void ConnectionOpened(string direction) => ConnectionsOpened.Add(1, new KeyValuePair<string, object?>("direction", direction));

    public static void ConnectionAborted(string reason) => ConnectionsAborted.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public static void MessageSent(SiloMessageType type) => MessagesSent.Add(1, new KeyValuePair<string, object?>("type", type.ToString()));

    public static void CallForwarded() => CallsForwarded.Add(1);

    public static void CallUnavailable() => CallsUnavailable.Add(1);

    public static void CallWaitedForReadLease(int partition) => CallsWaitedForReadLease.Add(1, new KeyValuePair<string, object?>("partition", partition));

    public static void LeaseRenewalFailed() => LeaseRenewalsFailed.Add(1);

    public static void DeathDeclared() => DeathsDeclared.Add(1);

    public static void PartitionMoved(bool completed, TimeSpan duration)
    {
        PartitionMoves.Add(1, new KeyValuePair<string, object?>("outcome", completed ? "completed" : "aborted"));
        if (completed)
        {
            PartitionMoveDuration.Record(duration.TotalMilliseconds);
        }
    }

    public static void PartitionOpenFailed(bool permanent) => PartitionOpenFailures.Add(1, new KeyValuePair<string, object?>("kind", permanent ? "permanent" : "transient"));

    public static void ReplicaStopped(string reason) => ReplicasStopped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public static void DirectoryRequest(SiloMessageType type) => DirectoryRequests.Add(1, new KeyValuePair<string, object?>("type", type.ToString()));

    /// <summary>Registers the observable gauges of one silo's cluster view (live silos, owned partitions).</summary>
    public static IDisposable ObserveView(Func<int> liveSilos, Func<int> ownedPartitions)
    {
        var meter = new Meter(MeterName);
        meter.CreateObservableGauge("actors.cluster.silos.live", liveSilos, description: "Live silos (Active or ShuttingDown) in this silo's view.");
        meter.CreateObservableGauge("actors.cluster.partitions.owned", ownedPartitions, description: "Partitions this silo serves.");
        return meter;
    }
}
