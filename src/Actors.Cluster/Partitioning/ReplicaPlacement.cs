using Actors.Cluster.Membership;

namespace Actors.Cluster.Partitioning;

/// <summary>Chooses the silos that hold a new replicated partition's replicas.</summary>
internal static class ReplicaPlacement
{
    /// <summary>
    /// The replicas of <paramref name="partition"/> claimed by <paramref name="owner"/>: the owner first (replica r1, the
    /// first leader), then <paramref name="replicationFactor"/> - 1 other Active silos, taken in name order starting at an
    /// offset given by the partition number so that followers spread over the silos. Null when fewer Active silos exist.
    /// </summary>
    public static string[]? Choose(ClusterSnapshot snapshot, int partition, string owner, int replicationFactor)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        string[] others = [.. snapshot.Silos
            .Where(s => s.Status == SiloStatus.Active && !string.Equals(s.Name, owner, StringComparison.Ordinal))
            .Select(s => s.Name)
            .Order(StringComparer.Ordinal)];
        if (others.Length < replicationFactor - 1)
        {
            return null;
        }

        var replicas = new string[replicationFactor];
        replicas[0] = owner;
        for (int k = 1; k < replicationFactor; k++)
        {
            replicas[k] = others[(partition + k - 1) % others.Length];
        }

        return replicas;
    }
}
