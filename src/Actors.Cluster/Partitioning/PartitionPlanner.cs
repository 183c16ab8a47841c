using Actors.Cluster.Membership;

namespace Actors.Cluster.Partitioning;

/// <summary>
/// Computes, from one table snapshot, which silo each partition should be owned by: every Active silo gets an equal share
/// (within one), partitions stay where they are when they can, and only the surplus moves. Every silo computes the same
/// plan from the same snapshot; each acts only on its own part (giving away what it owns, claiming what nobody owns).
/// </summary>
/// <remarks>
/// Partitions whose owner is dead stay with it (their log is only on its volume; without replication nobody else can
/// serve them) and are left out of the balance. Partitions of a silo shutting down are given to Active silos.
/// </remarks>
public static class PartitionPlanner
{
    /// <summary>The planned owner of each partition (index = partition); null where no Active silo exists to own it.</summary>
    public static string?[] Plan(ClusterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        int count = snapshot.Partitions.Count;
        var plan = new string?[count];
        string[] eligible = snapshot.Silos.Where(s => s.Status == SiloStatus.Active).Select(s => s.Name).Order(StringComparer.Ordinal).ToArray();
        var live = new HashSet<string>(snapshot.Silos.Where(s => s.IsLive).Select(s => s.Name), StringComparer.Ordinal);
        var owned = eligible.ToDictionary(s => s, _ => new List<int>(), StringComparer.Ordinal);
        var pool = new List<int>();
        for (int p = 0; p < count; p++)
        {
            string? owner = snapshot.Partitions[p].Owner;
            if (owner is not null && !live.Contains(owner))
            {
                plan[p] = owner;
            }
            else if (owner is not null && owned.TryGetValue(owner, out List<int>? list))
            {
                list.Add(p);
            }
            else
            {
                pool.Add(p);
            }
        }

        if (eligible.Length == 0)
        {
            foreach (int p in pool)
            {
                plan[p] = snapshot.Partitions[p].Owner;
            }

            return plan;
        }

        int movable = pool.Count + owned.Values.Sum(l => l.Count);
        int share = movable / eligible.Length;
        int extra = movable % eligible.Length;
        var quota = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string silo in eligible.OrderByDescending(s => owned[s].Count).ThenBy(s => s, StringComparer.Ordinal))
        {
            quota[silo] = share + (extra-- > 0 ? 1 : 0);
        }

        foreach (string silo in eligible)
        {
            List<int> mine = owned[silo];
            for (int i = 0; i < mine.Count; i++)
            {
                if (i < quota[silo])
                {
                    plan[mine[i]] = silo;
                }
                else
                {
                    pool.Add(mine[i]);
                }
            }

            quota[silo] -= Math.Min(mine.Count, quota[silo]);
        }

        pool.Sort();
        int next = 0;
        foreach (string silo in eligible)
        {
            for (int i = 0; i < quota[silo] && next < pool.Count; i++)
            {
                plan[pool[next++]] = silo;
            }
        }

        return plan;
    }
}
