using Orleans.Runtime;

namespace Actors.Orleans.Log;

/// <summary>
/// Refuses storage calls while the cluster has more than one active silo. Each silo's log holds only the grains that
/// silo stored; with several silos a grain can activate on a silo whose log does not hold its state and would read it as
/// empty: silent loss. Without <c>AddWriteAheadLogReplication</c> (partitions placed on
/// their leaders, Actors.Orleans.Clustering) a typed error is the honest answer.
/// </summary>
internal sealed class SingleSiloGuard(IClusterMembershipService membership)
{
    private (MembershipVersion Version, int Active) _seen = (MembershipVersion.MinValue, 1);

    /// <summary>Throws when the membership this silo sees holds more than one active silo.</summary>
    /// <exception cref="WriteAheadLogUnavailableException">Several silos are active.</exception>
    public void ThrowIfSeveralSilos(string directory)
    {
        ClusterMembershipSnapshot snapshot = membership.CurrentSnapshot;
        (MembershipVersion version, int active) = _seen;
        if (snapshot.Version != version)
        {
            active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
            _seen = (snapshot.Version, active);
        }

        if (active > 1)
        {
            throw new WriteAheadLogUnavailableException(
                $"The write-ahead log in '{directory}' serves one silo, and this cluster has {active} active silos: each silo's log holds only the grains that silo stored, so a grain activated on another silo would read its state as empty. Several silos need partitions placed on their leaders: add AddWriteAheadLogReplication to every silo (package Actors.Orleans.Clustering), or run one silo. Nothing was read or stored.");
        }
    }
}
