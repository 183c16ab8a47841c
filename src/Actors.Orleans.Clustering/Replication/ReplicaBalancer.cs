using Actors.Orleans.Clustering.Diagnostics;
using Actors.Replication;
using Actors.Replication.Configuration;
using Microsoft.Extensions.Logging;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// Spreads partition replicas over the active silos (replication factor above 1), so that a silo that joins takes its share
/// of replicas: every <see cref="ReplicaBalanceOptions.Interval"/>, for the partitions this silo leads, it finishes the
/// moves under way and starts those of the cluster's deterministic plan (<see cref="ReplicaBalance"/>), at most
/// <see cref="ReplicaBalanceOptions.MaxMovesUnderWay"/> at once. A move adds the new replica
/// (<see cref="Actors.Replication.Wal.ReplicaHost.ChangeReplicasAsync"/>: the row names factor plus one replicas; the new
/// replica's silo starts it when it reads the row, <see cref="ReplicaSupervisor"/>, and it catches up from the leader and
/// joins the in-sync set like any follower); a later pass, once the in-sync set without the old replica still holds the
/// factor, removes the old one from both sets in one write
/// (<see cref="Actors.Replication.Wal.ReplicaHost.RemoveFollowerAsync"/>). <c>joined</c> (the
/// <see cref="LeadershipRebalancer"/>'s <see cref="LeadershipRebalancer.NoteJoined"/>) makes a rebalance due, so that the
/// new replica also takes its share of leaderships, one leader change per partition moved.
/// </summary>
/// <remarks>
/// <para>Nothing is remembered between passes: a move under way is a row with more replicas than the factor, and whichever
/// silo leads it finishes it. Only a partition's leader changes its replica set, so no two silos contend for one row; a
/// change whose row changed meanwhile (another epoch) is skipped. The leader's writes stay available throughout: the new
/// replica is waited for only once it is in sync, and the old one stops being waited for only once the store took it
/// out.</para>
/// <para>Not thread-safe: one pass at a time, on the loop started by <see cref="ReplicaSupervisor"/>.</para>
/// </remarks>
internal sealed partial class ReplicaBalancer(ReplicaBalanceOptions options, int factor, ReplicaSetChanges changes, ILogger<ReplicaBalancer> logger)
{
    /// <summary>Runs passes every <see cref="ReplicaBalanceOptions.Interval"/> until <paramref name="stopping"/>; a pass runs to its end.</summary>
    public Task RunAsync(CancellationToken stopping) =>
        PeriodicPasses.RunAsync(options.Interval, changes.Time, async () => await PassAsync().ConfigureAwait(false), LogPassFailed, stopping);

    /// <summary>
    /// One pass over the partitions this silo leads: finishes the moves whose new replica is in sync, then starts planned
    /// moves up to the bound; returns how many replicas it added and removed.
    /// </summary>
    public async Task<(int Added, int Removed)> PassAsync()
    {
        var active = new HashSet<int>(changes.Active().Keys);
        Dictionary<int, ReplicaConfiguration> rows = await changes.ReadRowsAsync().ConfigureAwait(false);
        ReplicaId me = changes.Me;
        Dictionary<int, int> named = ReplicaBalance.Named(rows, active);
        int removed = 0;
        int underWay = 0;
        foreach ((int partition, ReplicaConfiguration row) in rows.OrderBy(r => r.Key))
        {
            if (row.Leader != me || row.Replicas.Length <= factor)
            {
                continue;
            }

            if (ReplicaBalance.Leaving(row, named, active, factor) is not { } leaving)
            {
                underWay++;
                continue;
            }

            if (changes.Leading(partition, row) is { } leader && await changes.RemoveFollowerAsync(leader, leaving).ConfigureAwait(false))
            {
                removed++;
                ClusteringInstruments.ReplicaMoved();

                // The rebalance stays due until the moves end (the last one's replicas, in sync, may take leaderships).
                foreach (ReplicaId kept in row.Replicas.Where(r => r != me && r != leaving))
                {
                    changes.NoteJoined(kept.Value);
                }

                LogMoveFinished(partition, leaving.Value, row.Replicas.Length - 1);
            }
            else
            {
                underWay++;
            }
        }

        int added = 0;
        if (underWay >= options.MaxMovesUnderWay)
        {
            return (added, removed);
        }

        if (removed > 0)
        {
            // Plan on the rows as they are now: every silo does, so the plans agree.
            rows = await changes.ReadRowsAsync().ConfigureAwait(false);
        }

        IReadOnlyList<ReplicaBalance.Move> plan = ReplicaBalance.Plan(rows, active, factor);
        foreach (ReplicaBalance.Move move in plan)
        {
            if (underWay + added >= options.MaxMovesUnderWay)
            {
                break;
            }

            ReplicaConfiguration row = rows[move.Partition];
            if (changes.Leading(move.Partition, row) is not { } leader)
            {
                continue;
            }

            if (await changes.ChangeAsync(leader, null, new ReplicaId(move.To)).ConfigureAwait(false))
            {
                added++;
                changes.NoteJoined(move.To);
                LogMoveStarted(move.Partition, move.From, move.To, ReplicaBalance.Share(rows.Count, factor, active.Count), plan.Count);
            }
        }

        return (added, removed);
    }

    [LoggerMessage(EventId = 114, Level = LogLevel.Information, Message = "Partition {Partition}: moving replica {From} (its silo holds more than its share of {Share} replicas) to replica {To}: added, it catches up before the old one is removed ({Planned} moves planned in the cluster)")]
    private partial void LogMoveStarted(int partition, int from, int to, int share, int planned);

    [LoggerMessage(EventId = 115, Level = LogLevel.Information, Message = "Partition {Partition}: replica {Leaving} removed, the move is done ({Replicas} replicas left)")]
    private partial void LogMoveFinished(int partition, int leaving, int replicas);

    [LoggerMessage(EventId = 116, Level = LogLevel.Warning, Message = "A replica-balance pass failed; tried again at the next one")]
    private partial void LogPassFailed(Exception exception);
}
