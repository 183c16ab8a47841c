using System.Diagnostics.Metrics;
using Actors.Replication.Messages;

namespace Actors.Cluster.Diagnostics;

/// <summary>
/// The replication traffic of a silo, meter <see cref="MeterName"/>, counted exactly where
/// <see cref="Replication.SiloReplicationTransport"/> hands messages to the silo transport: messages by kind, the entries
/// the append requests carry (resends included), the append requests that carry none (heartbeats and probes), and
/// messages whose request got no response (dropped). Each message is
/// one silo-transport request with its own response frame, so messages sent = request frames = response frames expected.
/// With the acknowledged grain writes and entries (the silo's replica counters) these give messages per entry per follower.
/// </summary>
internal static class ReplicationInstruments
{
    public const string MeterName = "Actors.Replication";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> MessagesSent = Meter.CreateCounter<long>("actors.replication.messages.sent", description: "Replication messages sent to other silos, one silo-transport request each (tag kind).");
    private static readonly Counter<long> EntriesSent = Meter.CreateCounter<long>("actors.replication.entries.sent", description: "Log entries carried by the append requests sent to other silos (resends included).");
    private static readonly Counter<long> EmptyRequestsSent = Meter.CreateCounter<long>("actors.replication.heartbeats.sent", description: "Append requests sent to other silos that carry no entries (heartbeats and probes; they are also counted in messages.sent).");
    private static readonly Counter<long> MessagesDropped = Meter.CreateCounter<long>("actors.replication.messages.dropped", description: "Replication messages whose request failed or got no response in time (tag kind).");

    public static void MessageSent(ReplicationMessage message)
    {
        MessagesSent.Add(1, new KeyValuePair<string, object?>("kind", message.GetType().Name));
        if (message is AppendRequest request)
        {
            EntriesSent.Add(request.Entries.Count);
            if (request.Entries.Count == 0)
            {
                EmptyRequestsSent.Add(1);
            }
        }
    }

    public static void MessageDropped(ReplicationMessage message) =>
        MessagesDropped.Add(1, new KeyValuePair<string, object?>("kind", message.GetType().Name));
}
