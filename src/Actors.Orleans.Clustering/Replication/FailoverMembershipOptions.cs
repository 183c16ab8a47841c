using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// With a replication factor above 1, makes Orleans declare a dead or stopped silo dead within seconds, so that its grain
/// directory entries (and the gateway lists of clients reading the membership table) stop pointing at it about as soon as
/// the partition replicas have elected new leaders: every setting below that still holds Orleans's default is changed; a
/// value the silo set itself (anything but the default) is kept.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="ClusterMembershipOptions.ProbeTimeout"/>: <see cref="ProbeTimeout"/> (Orleans: 5 s), the initial
/// timeout of a probe of a silo (Orleans then adapts it to the measured answers, between
/// <see cref="ClusterMembershipOptions.MinProbeTimeout"/>, half of it, and <see cref="ClusterMembershipOptions.MaxProbeTimeout"/>).</item>
/// <item><see cref="ClusterMembershipOptions.NumMissedProbesLimit"/>: <see cref="NumMissedProbesLimit"/> (Orleans: 3),
/// missed probes before a silo suspects a peer (the last of them sent through another silo when there is one).</item>
/// <item><see cref="ClusterMembershipOptions.MaxProbeTimeout"/>: <see cref="MaxProbeTimeoutFactor"/> times the probe
/// timeout (Orleans: 4 times). Orleans suppresses a vote against a silo from which any message arrived within
/// MaxProbeTimeout × NumMissedProbesLimit (its connection-liveness check), which is what a stopped silo's failure
/// detection waits for: a SIGKILLed silo's connections close, but a SIGSTOPped (or hung) silo's stay open, its last
/// message is the one sent just before it stopped, and with Orleans's factor the window would be 8 s.</item>
/// </list>
/// A killed silo is then suspected within about 2 s and a stopped one within about 3 s (the 2 s window plus a probe),
/// and declared dead once enough silos voted (<see cref="ClusterMembershipOptions.NumVotesForDeathDeclaration"/>, Orleans's
/// default kept; a failed probe through another silo carries that silo's vote too). The check still protects a slow
/// silo: a probe that times out on a loaded machine counts against a silo only if nothing at all (no late probe answer,
/// no replica heartbeat, which a leader sends every 50 ms) arrived from it for 2 s.
/// </remarks>
internal sealed class FailoverMembershipOptions(IOptions<WriteAheadLogReplicationOptions> replication) : IPostConfigureOptions<ClusterMembershipOptions>
{
    /// <summary>The probe timeout applied.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The missed probes limit applied.</summary>
    public const int NumMissedProbesLimit = 2;

    /// <summary>The largest adaptive probe timeout applied, as a multiple of the probe timeout.</summary>
    public const int MaxProbeTimeoutFactor = 1;

    /// <inheritdoc />
    public void PostConfigure(string? name, ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (replication.Value.ReplicationFactor <= 1)
        {
            return;
        }

        var defaults = new ClusterMembershipOptions();

        // MaxProbeTimeout's default is derived from ProbeTimeout (Orleans's own derivation, read through a fresh instance):
        // whether it was left is read before ProbeTimeout changes.
        bool maxProbeTimeoutLeft = options.MaxProbeTimeout == new ClusterMembershipOptions { ProbeTimeout = options.ProbeTimeout }.MaxProbeTimeout;
        if (options.ProbeTimeout == defaults.ProbeTimeout)
        {
            options.ProbeTimeout = ProbeTimeout;
        }

        if (maxProbeTimeoutLeft && options.ProbeTimeout <= TimeSpan.MaxValue / MaxProbeTimeoutFactor)
        {
            // Never below MinProbeTimeout: Orleans's adaptive probe timeout needs Min <= Max (a Min the silo set may be larger).
            TimeSpan max = options.ProbeTimeout * MaxProbeTimeoutFactor;
            options.MaxProbeTimeout = max >= options.MinProbeTimeout ? max : options.MinProbeTimeout;
        }

        if (options.NumMissedProbesLimit == defaults.NumMissedProbesLimit)
        {
            options.NumMissedProbesLimit = NumMissedProbesLimit;
        }
    }
}
