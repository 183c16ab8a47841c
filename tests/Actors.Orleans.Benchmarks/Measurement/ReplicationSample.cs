using Actors.Orleans.Clustering.Replication;
using Actors.Orleans.Clustering.Transport;
using Actors.Replication.Wal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.Orleans.Benchmarks.Measurement;

/// <summary>
/// The replicating silos' own exact counts, summed over the silos (taken before and after a round: the difference is what
/// the round cost): writes and the entries that carried them, frames sent between the silos,
/// entries written, the replicas' completed syncs (each a wait on its silo's journal), the journals' own fsyncs, and the
/// group commits of every replica's materialized log (each one write system call: issue 61).
/// </summary>
public sealed record ReplicationSample(long Writes, long Entries, long Frames, long EntriesWritten, long Syncs, long JournalSyncs, long MaterializedCommits)
{
    /// <summary>Reads the counts of <paramref name="silos"/> now (each count read on its own: a sample under load may mix bursts).</summary>
    public static ReplicationSample Take(IEnumerable<IHost> silos)
    {
        ArgumentNullException.ThrowIfNull(silos);
        long writes = 0, entries = 0, frames = 0, written = 0, syncs = 0, journalSyncs = 0, materializedCommits = 0;
        foreach (IHost silo in silos)
        {
            journalSyncs += silo.Services.GetRequiredService<SiloReplicas>().JournalSyncs;
            ReplicaMessagingCounts transport = silo.Services.GetRequiredService<OrleansReplicaMessaging>().Counts;
            frames += transport.Sent;
            foreach (HeldReplica held in silo.Services.GetRequiredService<SiloReplicas>().Held)
            {
                writes += held.Log.Inner.WritesProposed;
                entries += held.Log.Inner.EntriesProposed;
                ReplicaHostCounters counters = held.Host.Counters;
                written += counters.EntriesWritten;
                syncs += counters.Syncs;
                materializedCommits += held.Log.Inner.GetStatistics().Commits;
            }
        }

        return new ReplicationSample(writes, entries, frames, written, syncs, journalSyncs, materializedCommits);
    }

    /// <summary>What happened between <paramref name="before"/> and this sample.</summary>
    public ReplicationSample Since(ReplicationSample before)
    {
        ArgumentNullException.ThrowIfNull(before);
        return new ReplicationSample(
            Writes - before.Writes, Entries - before.Entries, Frames - before.Frames,
            EntriesWritten - before.EntriesWritten, Syncs - before.Syncs, JournalSyncs - before.JournalSyncs,
            MaterializedCommits - before.MaterializedCommits);
    }
}
