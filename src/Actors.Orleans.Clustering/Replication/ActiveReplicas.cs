using Actors.Orleans.Clustering.Partitioning;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>Which registered replicas run on a silo Orleans lists as active now.</summary>
internal static class ActiveReplicas
{
    /// <summary>
    /// The replicas of <paramref name="registered"/> (replica → silo address, from the replica rows) whose silo is active in
    /// <paramref name="membership"/>'s current snapshot, with that address; this silo's own replica always included.
    /// </summary>
    public static Dictionary<int, string> Of(IReadOnlyDictionary<int, string> registered, IClusterMembershipService membership, ClusterReplica self)
    {
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        foreach (ClusterMember member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active)
            {
                addresses.Add(member.SiloAddress.ToParsableString());
            }
        }

        var active = new Dictionary<int, string>();
        foreach ((int id, string address) in registered)
        {
            if (addresses.Contains(address))
            {
                active[id] = address;
            }
        }

        active[self.Id] = self.SiloAddress.ToParsableString();
        return active;
    }
}
