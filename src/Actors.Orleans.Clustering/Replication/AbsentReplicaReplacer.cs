using Actors.Orleans.Clustering.Diagnostics;
using Actors.Replication;
using Actors.Replication.Configuration;
using Microsoft.Extensions.Logging;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// Replaces the replicas of silos that are gone (replication factor above 1): every
/// <see cref="ReplicaReplacementOptions.Interval"/>, for each partition this silo leads, a replica whose silo this silo has
/// seen absent from Orleans's active silos for <see cref="ReplicaReplacementOptions.AbsentFor"/>, and which is out of the
/// partition's in-sync set, is replaced by a replica on an active silo that holds none of the partition (the one that
/// holds the fewest partitions, then the lowest number), through the leader's conditional write
/// (<see cref="Actors.Replication.Wal.ReplicaHost.ChangeReplicasAsync"/>). The new replica's silo starts it when it reads
/// the row (<see cref="ReplicaSupervisor"/>); it catches up from the leader and joins the in-sync set like any follower,
/// and <c>joined</c> (the <see cref="LeadershipRebalancer"/>'s <see cref="LeadershipRebalancer.NoteJoined"/>) makes a
/// rebalance due, so that it also takes its share of leaderships.
/// </summary>
/// <remarks>
/// <para>Only a partition's leader changes its replica set, so no two silos contend for one row; a change whose row
/// changed meanwhile (another epoch) is skipped. A replica never seen active by this silo counts as absent from this
/// silo's first pass. Replicas of silos that are only slow (in Orleans's membership, active) are never replaced; a
/// replica in the in-sync set is not either (the leader first drops it after its lag timeout).</para>
/// <para>Not thread-safe: one pass at a time, on the loop started by <see cref="ReplicaSupervisor"/>.</para>
/// </remarks>
internal sealed partial class AbsentReplicaReplacer(ReplicaReplacementOptions options, ReplicaSetChanges changes, ILogger<AbsentReplicaReplacer> logger)
{
    private readonly Dictionary<int, DateTimeOffset> _absentSince = [];
    private readonly HashSet<(int Partition, int Leaving)> _noCandidateReported = [];

    /// <summary>Runs passes every <see cref="ReplicaReplacementOptions.Interval"/> until <paramref name="stopping"/>; a pass runs to its end.</summary>
    public Task RunAsync(CancellationToken stopping) =>
        PeriodicPasses.RunAsync(options.Interval, changes.Time, PassAsync, LogPassFailed, stopping);

    /// <summary>One pass: notes which replicas are absent, then replaces those absent long enough in the partitions this silo leads; returns how many it replaced.</summary>
    public async Task<int> PassAsync()
    {
        IReadOnlyDictionary<int, string> registered = changes.Registered;
        Dictionary<int, string> active = changes.Active();
        DateTimeOffset now = changes.Time.GetUtcNow();
        foreach (int id in registered.Keys)
        {
            if (active.ContainsKey(id))
            {
                _absentSince.Remove(id);
            }
            else
            {
                _absentSince.TryAdd(id, now);
            }
        }

        var gone = new HashSet<ReplicaId>(_absentSince.Where(a => now - a.Value >= options.AbsentFor).Select(a => new ReplicaId(a.Key)));
        if (gone.Count == 0)
        {
            return 0;
        }

        Dictionary<int, ReplicaConfiguration> rows = await changes.ReadRowsAsync().ConfigureAwait(false);
        var held = active.Keys.ToDictionary(r => r, r => rows.Values.Count(row => row.Replicas.Contains(new ReplicaId(r))));
        ReplicaId me = changes.Me;
        int changed = 0;
        foreach ((int partition, ReplicaConfiguration row) in rows.OrderBy(r => r.Key))
        {
            if (changed >= options.MaxChangesPerPass)
            {
                break;
            }

            if (row.Leader != me || row.Replicas.Where(r => gone.Contains(r) && !row.IsInSync(r)).Select(r => (ReplicaId?)r).FirstOrDefault() is not { } leaving)
            {
                continue;
            }

            if (held.Keys.Where(r => !row.Replicas.Contains(new ReplicaId(r))).OrderBy(r => held[r]).ThenBy(r => r).Select(r => (int?)r).FirstOrDefault() is not { } joining)
            {
                if (_noCandidateReported.Add((partition, leaving.Value)))
                {
                    LogNoCandidate(partition, leaving.Value);
                }

                continue;
            }

            if (changes.Leading(partition, row) is not { } leader)
            {
                continue;
            }

            if (await changes.ChangeAsync(leader, leaving, new ReplicaId(joining)).ConfigureAwait(false))
            {
                held[joining]++;
                changed++;
                _noCandidateReported.Remove((partition, leaving.Value));
                ClusteringInstruments.ReplicaReplaced();
                changes.NoteJoined(joining);
                LogReplaced(partition, leaving.Value, joining, active[joining]);
            }
        }

        return changed;
    }

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Partition {Partition}: replica {Leaving} (its silo absent) replaced by replica {Joining} on silo {Address}; it catches up before it joins the in-sync set")]
    private partial void LogReplaced(int partition, int leaving, int joining, string address);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Partition {Partition}: replica {Leaving} is absent, but no active silo without a replica of the partition can replace it; the partition runs with fewer replicas until a silo joins or returns (said once per partition and replica)")]
    private partial void LogNoCandidate(int partition, int leaving);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "A replica-replacement pass failed; tried again at the next one")]
    private partial void LogPassFailed(Exception exception);
}
