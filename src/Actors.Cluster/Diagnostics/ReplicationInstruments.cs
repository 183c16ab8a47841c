using System.Diagnostics.Metrics;
using Actors.Replication.Messages;
using Actors.Replication.Wal;

namespace Actors.Cluster.Diagnostics;

/// <summary>
/// The replication traffic of a silo, meter <see cref="MeterName"/>, counted exactly where
/// <see cref="Replication.SiloReplicationTransport"/> hands messages to the silo transport: messages by kind, the entries
/// the append requests carry (resends included), the append requests that carry none (heartbeats and probes), and
/// messages whose request got no response (dropped). Each message is
/// one silo-transport request with its own response frame, so messages sent = request frames = response frames expected.
/// With the acknowledged grain writes and entries (the silo's replica counters) these give messages per entry per follower.
/// <see cref="ObserveReplicas"/> adds, per partition replica this silo holds (tag <c>partition</c>), its entry log's
/// positions and its checkpoint counters, read from the replica when scraped: how far each log's prefix was deleted and
/// whether a replica took a leader's checkpoint are visible from outside the process.
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

    /// <summary>
    /// Registers the observable instruments of the replicas <paramref name="replicas"/> lists when observed (one
    /// measurement per replica, tag <c>partition</c>): gauges of its log's start (the LSN its durable checkpoint covers,
    /// 0 without one), end and commit positions, and counters of the checkpoints it wrote, the checkpoints it took from a
    /// leader, the checkpoint chunks it sent, the segment files it deleted below its checkpoints and the restores of its
    /// materialized log from a checkpoint that failed (each since that replica started). Dispose the result to unregister them.
    /// </summary>
    /// <remarks>
    /// With the shared journal (<see cref="Actors.Replication.Options.EntryLogLayout.SharedJournal"/>) it adds the journal's
    /// group-commit fsyncs and records appended (counters) and its segment files (gauge), when <paramref name="journal"/>
    /// reports one: the replicas' own sync counts then count syncs asked for, of which one journal fsync serves many.
    /// </remarks>
    public static IDisposable ObserveReplicas(Func<IReadOnlyList<ReplicaObservation>> replicas, Func<JournalObservation?> journal)
    {
        var meter = new Meter(MeterName);
        meter.CreateObservableCounter("actors.replication.journal.fsyncs", () => MeasureJournal(journal, j => j.Fsyncs),
            description: "Group-commit fsyncs of the silo's entry journal since it was opened; each makes the records of every replica appended before it durable.");
        meter.CreateObservableCounter("actors.replication.journal.records", () => MeasureJournal(journal, j => j.Records),
            description: "Records appended to the silo's entry journal since it was opened (entries, truncations and checkpoint installs of every replica).");
        meter.CreateObservableGauge("actors.replication.journal.segments", () => MeasureJournal(journal, j => j.Segments),
            description: "Segment files of the silo's entry journal.");
        meter.CreateObservableGauge("actors.replication.log.start_lsn", () => Measure(replicas, r => r.Status.StartLsn),
            description: "The LSN the replica's durable checkpoint covers: its entry log starts after it (0: no checkpoint) (tag partition).");
        meter.CreateObservableGauge("actors.replication.log.end_lsn", () => Measure(replicas, r => r.Status.EndLsn),
            description: "The last entry written to the replica's entry log (tag partition).");
        meter.CreateObservableGauge("actors.replication.log.committed_lsn", () => Measure(replicas, r => r.Status.CommittedLsn),
            description: "Entries up to here are known acknowledged by the replica (tag partition).");
        meter.CreateObservableCounter("actors.replication.checkpoints.written", () => Measure(replicas, r => r.Counters.CheckpointsWritten),
            description: "Checkpoints of the materialized log the replica wrote durably to its entry log (tag partition).");
        meter.CreateObservableCounter("actors.replication.checkpoints.installed", () => Measure(replicas, r => r.Counters.CheckpointsInstalled),
            description: "Checkpoints the replica took from its leader, replacing its entry log, because it needed entries the leader had deleted (tag partition).");
        meter.CreateObservableCounter("actors.replication.checkpoint_chunks.sent", () => Measure(replicas, r => r.Counters.CheckpointChunksSent),
            description: "Checkpoint chunks the replica sent as leader to followers that needed deleted entries, resends included (tag partition).");
        meter.CreateObservableCounter("actors.replication.segments.deleted", () => Measure(replicas, r => r.Counters.SegmentsDeleted),
            description: "Entry-log segment files the replica deleted below its durable checkpoints (tag partition).");
        meter.CreateObservableCounter("actors.replication.checkpoint_restores.failed", () => Measure(replicas, r => r.RestoreFailures),
            description: "Rebuilds of the replica's materialized log from a checkpoint that failed; each is retried after a back-off (tag partition).");
        meter.CreateObservableCounter("actors.replication.checkpoint_captures.failed", () => Measure(replicas, r => r.CaptureFailures),
            description: "Captures of the replica's materialized log as a checkpoint that failed; it went on applying and keeps every entry until a later capture succeeds (tag partition).");
        return meter;
    }

    private static IEnumerable<Measurement<long>> MeasureJournal(Func<JournalObservation?> journal, Func<JournalObservation, long> value)
    {
        if (journal() is { } observed)
        {
            yield return new Measurement<long>(value(observed));
        }
    }

    private static IEnumerable<Measurement<long>> Measure(Func<IReadOnlyList<ReplicaObservation>> replicas, Func<ReplicaObservation, long> value)
    {
        foreach (ReplicaObservation replica in replicas())
        {
            yield return new Measurement<long>(value(replica), new KeyValuePair<string, object?>("partition", replica.Partition));
        }
    }
}
