using Actors.Replication;
using Actors.Replication.Configuration;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// The deterministic plan that spreads partition replicas over the active silos' replicas: which replica a partition's
/// leader adds to start a move (<see cref="Plan"/>), and which one it removes to finish it (<see cref="Leaving"/>). Every
/// silo computes the same plan from the same rows and membership and carries out only the moves of partitions it leads, so
/// no two silos move one partition.
/// </summary>
/// <remarks>
/// <para>A replica's load is how many rows name it (an active one: rows naming inactive replicas are the replacement's
/// business, <see cref="AbsentReplicaReplacer"/>); its share is the rows times the replication factor over the active
/// replicas, rounded up. A move under way (a row with more replicas than the factor) counts as done: its leaving replica
/// is not counted.</para>
/// <para>Greedy, one move at a time: the replica holding the most (ties: the lowest number), if above its share, gives its
/// lowest-numbered partition that it does not lead, whose replicas are all active and in sync and that no move is under
/// way in, to the active replica holding the fewest (ties: the lowest number) that is below its share and holds none of
/// the partition; a donor with no such partition is passed over. Each move takes one from a replica above its share and
/// gives one to a replica below it, so the plan ends, and moves a partition at most once. A replica on a silo above its
/// share that leads all its partitions keeps them until its leaderships move (a leader never removes itself).</para>
/// <para>Pure and thread-safe.</para>
/// </remarks>
internal static class ReplicaBalance
{
    /// <summary>A planned move of <paramref name="Partition"/>'s replica on <paramref name="From"/> to <paramref name="To"/>.</summary>
    public readonly record struct Move(int Partition, int From, int To);

    /// <summary>The share of each of <paramref name="active"/> replicas: the rows times <paramref name="factor"/> over the active replicas, rounded up.</summary>
    public static int Share(int rows, int factor, int active) => active == 0 ? 0 : ((rows * factor) + active - 1) / active;

    /// <summary>The moves that spread the replicas of <paramref name="rows"/> over <paramref name="active"/>, in order.</summary>
    public static IReadOnlyList<Move> Plan(IReadOnlyDictionary<int, ReplicaConfiguration> rows, IReadOnlySet<int> active, int factor)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(active);
        Dictionary<int, int> held = Held(rows, active, factor);
        int share = Share(rows.Count, factor, active.Count);
        var movable = new SortedDictionary<int, ReplicaConfiguration>();
        foreach ((int partition, ReplicaConfiguration row) in rows)
        {
            if (row.Replicas.Length == factor && row.InSync.Length == row.Replicas.Length && row.Replicas.All(r => active.Contains(r.Value)))
            {
                movable[partition] = row;
            }
        }

        var moves = new List<Move>();
        while (NextMove(movable, held, share) is { } move)
        {
            held[move.From]--;
            held[move.To]++;
            movable.Remove(move.Partition);
            moves.Add(move);
        }

        return moves;
    }

    /// <summary>
    /// The replica to remove from <paramref name="row"/>, which has more than <paramref name="factor"/> replicas (a move
    /// under way), or null when none may go yet: the replica that goes first (<see cref="FirstToLeave"/>, on the counts of
    /// <see cref="Named"/>), once the in-sync set without it still holds <paramref name="factor"/> replicas (the new replica
    /// caught up). Never the new replica while it catches up: only the first to leave is ever considered.
    /// </summary>
    public static ReplicaId? Leaving(ReplicaConfiguration row, IReadOnlyDictionary<int, int> held, IReadOnlySet<int> active, int factor)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Replicas.Length <= factor || FirstToLeave(row, held, active) is not { } first)
        {
            return null;
        }

        return row.InSync.Count(r => r != first) >= factor ? first : null;
    }

    /// <summary>
    /// Of <paramref name="row"/>'s followers, the one a move removes: a replica on an inactive silo first, then the one
    /// holding the most (ties: the highest number), which is the replica the move started from (it was above its share, the
    /// new one below); null when the row has no follower.
    /// </summary>
    public static ReplicaId? FirstToLeave(ReplicaConfiguration row, IReadOnlyDictionary<int, int> held, IReadOnlySet<int> active)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(active);
        return row.Replicas
            .Where(r => r != row.Leader)
            .OrderBy(r => active.Contains(r.Value) ? 1 : 0)
            .ThenByDescending(r => held.GetValueOrDefault(r.Value))
            .ThenByDescending(r => r.Value)
            .Select(r => (ReplicaId?)r)
            .FirstOrDefault();
    }

    /// <summary>Whether replicas of <paramref name="rows"/> are moving: a move is under way (a row with more than <paramref name="factor"/> replicas) or planned.</summary>
    public static bool Moving(IReadOnlyDictionary<int, ReplicaConfiguration> rows, IReadOnlySet<int> active, int factor)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Values.Any(row => row.Replicas.Length > factor) || Plan(rows, active, factor).Count > 0;
    }

    /// <summary>How many rows name each of <paramref name="active"/> replicas (the counts <see cref="Leaving"/> takes).</summary>
    public static Dictionary<int, int> Named(IReadOnlyDictionary<int, ReplicaConfiguration> rows, IReadOnlySet<int> active)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(active);
        var named = active.ToDictionary(r => r, _ => 0);
        foreach (ReplicaConfiguration row in rows.Values)
        {
            foreach (ReplicaId replica in row.Replicas)
            {
                if (named.TryGetValue(replica.Value, out int count))
                {
                    named[replica.Value] = count + 1;
                }
            }
        }

        return named;
    }

    /// <summary>
    /// How many rows name each of <paramref name="active"/> replicas, less the replica each move under way removes
    /// (<see cref="FirstToLeave"/> on the counts of <see cref="Named"/>, so that every silo picks the same one).
    /// </summary>
    public static Dictionary<int, int> Held(IReadOnlyDictionary<int, ReplicaConfiguration> rows, IReadOnlySet<int> active, int factor)
    {
        Dictionary<int, int> named = Named(rows, active);
        var held = new Dictionary<int, int>(named);
        foreach (ReplicaConfiguration row in rows.Values)
        {
            if (row.Replicas.Length > factor && FirstToLeave(row, named, active) is { } leaving && held.ContainsKey(leaving.Value))
            {
                held[leaving.Value]--;
            }
        }

        return held;
    }

    private static Move? NextMove(SortedDictionary<int, ReplicaConfiguration> movable, Dictionary<int, int> held, int share)
    {
        foreach ((int donor, int count) in held.OrderByDescending(h => h.Value).ThenBy(h => h.Key))
        {
            if (count <= share)
            {
                return null;
            }

            foreach ((int partition, ReplicaConfiguration row) in movable)
            {
                if (row.Leader.Value == donor || !row.Replicas.Contains(new ReplicaId(donor)))
                {
                    continue;
                }

                int? best = null;
                foreach ((int candidate, int theirs) in held)
                {
                    if (theirs >= share || row.Replicas.Contains(new ReplicaId(candidate)))
                    {
                        continue;
                    }

                    if (best is not { } other || theirs < held[other] || (theirs == held[other] && candidate < other))
                    {
                        best = candidate;
                    }
                }

                if (best is { } target)
                {
                    return new Move(partition, donor, target);
                }
            }
        }

        return null;
    }
}
