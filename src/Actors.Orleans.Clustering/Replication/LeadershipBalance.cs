using Actors.Replication.Configuration;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// The deterministic plan that spreads partition leaderships evenly over the active replicas: every silo computes the same
/// plan from the same rows and membership, and carries out only the moves away from its own replica, so no two silos
/// ever want the same partition.
/// </summary>
/// <remarks>
/// <para>Greedy, one move at a time: the replica leading the most partitions (ties: the lowest number) gives its
/// lowest-numbered partition that can go to an active replica in that partition's in-sync set leading at least two
/// fewer (the one leading fewest; ties: the lowest number); a donor with no such partition is passed over. It stops when
/// no move is left. Each move lowers the sum of the squared counts, so the plan ends, and a partition is moved at most
/// once per plan (its final leader directly, never a chain). A replica leads at most one more partition than another
/// afterwards unless the in-sync sets forbid it. Partitions led by an inactive replica are not counted (the failover
/// takes them).</para>
/// <para>Pure and thread-safe.</para>
/// </remarks>
internal static class LeadershipBalance
{
    /// <summary>A planned hand-over of <paramref name="Partition"/> from <paramref name="From"/> to <paramref name="To"/>.</summary>
    public readonly record struct Move(int Partition, int From, int To);

    /// <summary>The moves that balance the leaderships of <paramref name="rows"/> over <paramref name="active"/>, in order.</summary>
    public static IReadOnlyList<Move> Plan(IReadOnlyDictionary<int, ReplicaConfiguration> rows, IReadOnlySet<int> active)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(active);
        var led = new SortedDictionary<int, SortedSet<int>>();
        foreach (int replica in active)
        {
            led[replica] = [];
        }

        foreach ((int partition, ReplicaConfiguration row) in rows)
        {
            if (led.TryGetValue(row.Leader.Value, out SortedSet<int>? partitions))
            {
                partitions.Add(partition);
            }
        }

        var moves = new List<Move>();
        var moved = new HashSet<int>();
        while (NextMove(rows, led, moved) is { } move)
        {
            led[move.From].Remove(move.Partition);
            led[move.To].Add(move.Partition);
            moved.Add(move.Partition);
            moves.Add(move);
        }

        return moves;
    }

    private static Move? NextMove(IReadOnlyDictionary<int, ReplicaConfiguration> rows, SortedDictionary<int, SortedSet<int>> led, HashSet<int> moved)
    {
        foreach ((int donor, SortedSet<int> partitions) in led.OrderByDescending(l => l.Value.Count).ThenBy(l => l.Key))
        {
            foreach (int partition in partitions)
            {
                if (moved.Contains(partition))
                {
                    continue;
                }

                int? best = null;
                foreach (var candidate in rows[partition].InSync)
                {
                    int to = candidate.Value;
                    if (to == donor || !led.TryGetValue(to, out SortedSet<int>? theirs) || theirs.Count > partitions.Count - 2)
                    {
                        continue;
                    }

                    if (best is not { } other || theirs.Count < led[other].Count || (theirs.Count == led[other].Count && to < other))
                    {
                        best = to;
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
