using Actors.Cluster.Membership;

namespace Actors.Cluster.Partitioning;

/// <summary>
/// Which silo owns each partition's range of the grain directory in a view: rendezvous hashing over the Active silos
/// (the highest <c>hash(partition, name)</c> wins), so a join or a death moves only about 1/N of the ranges.
/// </summary>
/// <remarks>Independent of log ownership: directory entries are soft state rebuilt from the silos' activations, so a dead silo's ranges move at once.</remarks>
public sealed class DirectoryOwners
{
    private readonly string?[] _owners;

    private DirectoryOwners(long view, string?[] owners)
    {
        View = view;
        _owners = owners;
    }

    /// <summary>The table version the owners were computed from.</summary>
    public long View { get; }

    /// <summary>The owner of partition <paramref name="partition"/>'s directory range, or null when no silo is Active.</summary>
    public string? this[int partition] => _owners[partition];

    /// <summary>Computes the owners for a snapshot.</summary>
    public static DirectoryOwners Compute(ClusterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        string[] active = snapshot.Silos.Where(s => s.Status == SiloStatus.Active).Select(s => s.Name).ToArray();
        var owners = new string?[snapshot.PartitionCount];
        for (int p = 0; p < owners.Length; p++)
        {
            ulong best = 0;
            foreach (string silo in active)
            {
                ulong score = PartitionMap.Hash(p, silo);
                if (owners[p] is null || score > best || (score == best && string.CompareOrdinal(silo, owners[p]) < 0))
                {
                    best = score;
                    owners[p] = silo;
                }
            }
        }

        return new DirectoryOwners(snapshot.TableVersion, owners);
    }
}
