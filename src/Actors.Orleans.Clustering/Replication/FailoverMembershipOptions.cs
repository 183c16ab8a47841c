using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// With a replication factor above 1, makes Orleans declare a dead silo dead within seconds, so that its grain directory
/// entries stop pointing at it about as soon as the partition replicas have elected new leaders: every setting below that
/// still holds Orleans's default is changed; a value the silo set itself (anything but the default) is kept.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="ClusterMembershipOptions.ProbeTimeout"/>: <see cref="ProbeTimeout"/> (Orleans: 5 s), how long a probe
/// of a silo waits for its answer.</item>
/// <item><see cref="ClusterMembershipOptions.NumMissedProbesLimit"/>: <see cref="NumMissedProbesLimit"/> (Orleans: 3),
/// missed probes before a silo suspects a peer.</item>
/// </list>
/// A killed silo is then suspected after about 2 s and declared dead once enough silos voted
/// (<see cref="ClusterMembershipOptions.NumVotesForDeathDeclaration"/>, Orleans's default kept).
/// </remarks>
internal sealed class FailoverMembershipOptions(IOptions<WriteAheadLogReplicationOptions> replication) : IPostConfigureOptions<ClusterMembershipOptions>
{
    /// <summary>The probe timeout applied.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The missed probes limit applied.</summary>
    public const int NumMissedProbesLimit = 2;

    /// <inheritdoc />
    public void PostConfigure(string? name, ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (replication.Value.ReplicationFactor <= 1)
        {
            return;
        }

        var defaults = new ClusterMembershipOptions();
        if (options.ProbeTimeout == defaults.ProbeTimeout)
        {
            options.ProbeTimeout = ProbeTimeout;
        }

        if (options.NumMissedProbesLimit == defaults.NumMissedProbesLimit)
        {
            options.NumMissedProbesLimit = NumMissedProbesLimit;
        }
    }
}
