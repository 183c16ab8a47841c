using System.Globalization;
using System.Text.RegularExpressions;

namespace Actors.Cluster.Benchmarks;

/// <summary>
/// Exact counts of a replicating cluster's run (no timing): each replica's stop line (event 4901: grain writes and
/// entries it proposed as leader, entries written to its log and fsyncs, each with the part done while it led, messages) and the silos' replication traffic from
/// <c>/metrics</c> (<c>actors.replication.messages.sent</c> by kind, entries carried by append requests, calls that waited for
/// a lapsed read lease), printed per
/// grain write and per entry (checkpoints written and installed included). Where a replicated write's cost goes, independent of the machine's load.
/// </summary>
internal static partial class ReplicationCounters
{
    public static void Print(IEnumerable<string> stopLines, IReadOnlyList<Dictionary<string, double>> metrics, int replicationFactor)
    {
        long writes = 0, entries = 0, leaderWritten = 0, followerWritten = 0, leaderSyncs = 0, followerSyncs = 0, sent = 0, received = 0, checkpoints = 0, installed = 0;
        int replicas = 0;
        foreach (string line in stopLines)
        {
            Match match = StopLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            replicas++;
            long Field(string name) => long.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
            writes += Field("writes");
            entries += Field("entries");
            // Split by the replica's role when it wrote or synced (a replica that led part of the run counts on both sides).
            leaderWritten += Field("writtenAsLeader");
            followerWritten += Field("written") - Field("writtenAsLeader");
            leaderSyncs += Field("syncsAsLeader");
            followerSyncs += Field("syncs") - Field("syncsAsLeader");
            sent += Field("sent");
            received += Field("received");
            checkpoints += Field("checkpoints");
            installed += Field("installed");
        }

        Console.WriteLine();
        Console.WriteLine($"replication counters of the {replicationFactor}-way replicated cluster over its whole run (exact counts, every phase; {replicas} replica stop lines):");
        if (entries == 0)
        {
            Console.WriteLine("  no entries proposed (no stop lines: did the silos stop gracefully?)");
            return;
        }

        int followers = replicationFactor - 1;
        double perEntry(double value) => value / entries;
        Console.WriteLine($"  grain writes {writes:N0} in {entries:N0} entries: {(double)writes / entries:N2} writes per entry");
        Console.WriteLine($"  per entry: written to logs {perEntry(leaderWritten):N2} (leader) + {perEntry(followerWritten):N2} (followers); fsyncs {perEntry(leaderSyncs):N2} (leader) + {perEntry(followerSyncs):N2} (followers, {perEntry(followerSyncs) / followers:N2} each)");
        Console.WriteLine($"  per grain write: fsyncs {(double)(leaderSyncs + followerSyncs) / writes:N3}, replication messages {(double)sent / writes:N3} (one one-way silo-transport frame each)");
        Console.WriteLine($"  replication messages per entry: {perEntry(sent):N2} sent (replicas' count), {perEntry(received):N2} received");
        Console.WriteLine($"  checkpoints: {checkpoints:N0} written by the replicas ({(double)writes / Math.Max(1, checkpoints):N0} grain writes per checkpoint), {installed:N0} taken from a leader");
        var byKind = new SortedDictionary<string, double>(StringComparer.Ordinal);
        double entriesSent = 0, emptyRequests = 0, dropped = 0, readLeaseWaits = 0, journalFsyncs = 0;
        bool journaled = false;
        foreach (Dictionary<string, double> silo in metrics)
        {
            foreach ((string series, double value) in silo)
            {
                if (series.StartsWith("actors_replication_messages_sent", StringComparison.Ordinal) && KindLabel().Match(series) is { Success: true } kind)
                {
                    byKind[kind.Groups[1].Value] = byKind.GetValueOrDefault(kind.Groups[1].Value) + value;
                }
                else if (series.StartsWith("actors_replication_entries_sent", StringComparison.Ordinal))
                {
                    entriesSent += value;
                }
                else if (series.StartsWith("actors_replication_heartbeats_sent", StringComparison.Ordinal))
                {
                    emptyRequests += value;
                }
                else if (series.StartsWith("actors_replication_messages_dropped", StringComparison.Ordinal))
                {
                    dropped += value;
                }
                else if (series.StartsWith("actors_cluster_calls_read_lease_waits", StringComparison.Ordinal))
                {
                    readLeaseWaits += value;
                }
                else if (series.StartsWith("actors_replication_journal_fsyncs", StringComparison.Ordinal))
                {
                    journalFsyncs += value;
                    journaled = true;
                }
            }
        }

        foreach ((string kind, double count) in byKind)
        {
            Console.WriteLine($"    {kind}: {count:N0} = {perEntry(count):N2} per entry, {perEntry(count) / followers:N2} per entry per follower");
        }

        Console.WriteLine($"  entries carried by append requests: {perEntry(entriesSent) / followers:N2} per entry per follower (1.00: no resends); messages dropped: {dropped:N0}");
        if (byKind.TryGetValue("AppendRequest", out double requests))
        {
            // Heartbeats depend on time (every partition, also while the cluster idles beside the other phases), not on entries.
            Console.WriteLine($"  append requests with entries: {perEntry(requests - emptyRequests) / followers:N2} per entry per follower; without entries (heartbeats, probes): {emptyRequests:N0} = {perEntry(emptyRequests) / followers:N2} per entry per follower");
        }

        // With the shared journal a replica's "fsync" above is a sync it asked for; one journal fsync serves many of them.
        Console.WriteLine(journaled
            ? $"  journal fsyncs (one group commit per silo serves every replica's syncs; counted since each silo's journal opened): {journalFsyncs:N0} = {journalFsyncs / writes:N3} per grain write"
            : "  journal fsyncs: none reported (the replicas keep entry logs of their own)");

        // Calls the owner's router held because its replica's read lease had lapsed (actors.cluster.calls.read_lease_waits).
        Console.WriteLine($"  calls that waited for a lapsed read lease: {readLeaseWaits:N0} ({readLeaseWaits * 1000 / writes:N3} per 1,000 grain writes)");
    }

    [GeneratedRegex(@"Replica \S+ of partition \d+ stopped: as leader (?<writes>\d+) grain writes proposed in (?<entries>\d+) entries; its log (?<written>\d+) entries written \((?<writtenAsLeader>\d+) as leader\), (?<syncs>\d+) fsyncs \((?<syncsAsLeader>\d+) as leader\), (?<sent>\d+) messages sent, (?<received>\d+) received, (?<checkpoints>\d+) checkpoints written, (?<installed>\d+) taken from a leader")]
    private static partial Regex StopLine();

    [GeneratedRegex(@"kind=""([^""]+)""")]
    private static partial Regex KindLabel();
}
