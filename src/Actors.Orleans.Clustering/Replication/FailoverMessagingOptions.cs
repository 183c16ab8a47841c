using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// With a replication factor above 1, lets Orleans forward a call a few more times before it rejects it, and keeps a
/// stopping silo's gateway and links open a moment after its grains deactivated, so that no call fails in a graceful
/// stop: each setting is changed only while it still holds Orleans's default; a value the silo set itself is kept.
/// </summary>
/// <remarks>
/// <para><see cref="SiloMessagingOptions.MaxForwardCount"/>: <see cref="MaxForwardCount"/> (Orleans: 2). During a graceful stop
/// one call may meet several deactivations in turn: the partition's hand-over deactivates the old leader's activation,
/// and Orleans deactivates the activations whose grain-directory registration the stopping silo held; each sends the
/// queued calls on (one forward each) and Orleans rejects a call forwarded <c>MaxForwardCount</c> times
/// ("Forwarding failed ... Rejecting now", <c>MessageCenter</c>). A forward goes to a live silo's activation or placement,
/// so the larger bound cannot loop.</para>
/// <para><see cref="SiloMessagingOptions.WaitForMessageToBeQueuedForOutboundTime"/>: <see cref="StopDrain"/> (Orleans: 0).
/// Orleans waits this long after a stopping silo deactivated its grains before its gateway stops serving clients and,
/// after that, before the silo refuses application messages. A client's call that reached the gateway just before the
/// stop was forwarded to another silo; its response comes back through this gateway, and with no wait it finds the
/// client's connection closed and is dropped, so the client waits out its response timeout. A call another silo still
/// addresses to a grain that was here is forwarded during the wait instead of refused ("Silo stopping"). The cost is
/// that much more time per graceful stop.</para>
/// </remarks>
internal sealed class FailoverMessagingOptions(IOptions<WriteAheadLogReplicationOptions> replication) : IPostConfigureOptions<SiloMessagingOptions>
{
    /// <summary>The forward count applied.</summary>
    public const int MaxForwardCount = 5;

    /// <summary>The wait applied between a stopping silo's grain deactivation and the end of its gateway.</summary>
    public static readonly TimeSpan StopDrain = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public void PostConfigure(string? name, SiloMessagingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (replication.Value.ReplicationFactor <= 1)
        {
            return;
        }

        var defaults = new SiloMessagingOptions();
        if (options.MaxForwardCount == defaults.MaxForwardCount)
        {
            options.MaxForwardCount = MaxForwardCount;
        }

        if (options.WaitForMessageToBeQueuedForOutboundTime == defaults.WaitForMessageToBeQueuedForOutboundTime)
        {
            options.WaitForMessageToBeQueuedForOutboundTime = StopDrain;
        }
    }
}
