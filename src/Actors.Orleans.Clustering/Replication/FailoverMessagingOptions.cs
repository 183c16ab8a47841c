using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// With a replication factor above 1, lets Orleans forward a call a few more times before it rejects it, so that a call
/// caught between the deactivations a graceful stop causes reaches the grain's new activation instead of failing: the
/// setting is changed only while it still holds Orleans's default; a value the silo set itself is kept.
/// </summary>
/// <remarks>
/// <see cref="SiloMessagingOptions.MaxForwardCount"/>: <see cref="MaxForwardCount"/> (Orleans: 2). During a graceful stop
/// one call may meet several deactivations in turn: the partition's hand-over deactivates the old leader's activation,
/// and Orleans deactivates the activations whose grain-directory registration the stopping silo held; each sends the
/// queued calls on (one forward each) and Orleans rejects a call forwarded <c>MaxForwardCount</c> times
/// ("Forwarding failed ... Rejecting now", <c>MessageCenter</c>). A forward goes to a live silo's activation or placement,
/// so the larger bound cannot loop.
/// </remarks>
internal sealed class FailoverMessagingOptions(IOptions<WriteAheadLogReplicationOptions> replication) : IPostConfigureOptions<SiloMessagingOptions>
{
    /// <summary>The forward count applied.</summary>
    public const int MaxForwardCount = 5;

    /// <inheritdoc />
    public void PostConfigure(string? name, SiloMessagingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (replication.Value.ReplicationFactor <= 1)
        {
            return;
        }

        if (options.MaxForwardCount == new SiloMessagingOptions().MaxForwardCount)
        {
            options.MaxForwardCount = MaxForwardCount;
        }
    }
}
