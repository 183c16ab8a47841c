using Actors.Cluster.Diagnostics;
using Actors.Cluster.GrainLocation;
using Actors.Cluster.Membership;
using Actors.Cluster.Messaging;
using Actors.Cluster.Partitioning;
using Actors.Hosting;
using Actors.Invocation;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Routing;

/// <summary>
/// The cluster's <see cref="IGrainCallRouter"/>. A grain whose state is in a write-ahead-log store runs on its partition's
/// owner only (where its log is): the call is served here, waits while the partition changes hands, goes to the owner, or
/// fails fast with <see cref="PartitionUnavailableException"/> when the owner is dead. Any other grain runs where the
/// grain directory says; without an activation it is placed by its class's placement attribute and the chosen silo
/// registers it before activating.
/// </summary>
internal sealed partial class ClusterCallRouter(
    MembershipAgent membership,
    PartitionOwnershipAgent ownership,
    GrainDirectory directory,
    WalGrainTypes walGrainTypes,
    ISiloTransport transport,
    RemoteCallCodec codec,
    LocationCache cache,
    ClusterOptions options,
    TimeSpan responseTimeout,
    Func<IGrainCallInvoker> invoker,
    TimeProvider time,
    ILogger logger) : IGrainCallRouter
{
    private ulong _nextCallId;
    private long _forwardedCalls;

    /// <summary>How many calls this router has forwarded to another silo (each one hop).</summary>
    public long ForwardedCalls => Interlocked.Read(ref _forwardedCalls);

    /// <inheritdoc />
    public async ValueTask<GrainCallRoute> RouteAsync(GrainCallRequest request, GrainClassDescriptor grainClass, CancellationToken cancellationToken)
    {
        int hops = ForwardContext.Take();
        if (hops > options.MaxForwardHops)
        {
            throw new SiloUnavailableException($"Call {request.Method.Key} to {request.Target} was forwarded {hops} times between silos (MaxForwardHops {options.MaxForwardHops}): the silos' views disagree; retry.");
        }

        if (membership.IsDeclaredDead)
        {
            throw new SiloUnavailableException($"Silo '{membership.Name}' was declared dead by its cluster; call to {request.Target} refused.");
        }

        return walGrainTypes.IsPartitionBound(grainClass)
            ? await RoutePartitionBoundAsync(request, hops, cancellationToken)
            : await RouteDirectoryPlacedAsync(request, grainClass, hops, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> CanActivateAsync(GrainId grainId, GrainClassDescriptor grainClass, CancellationToken cancellationToken)
    {
        if (!membership.Lease.IsValid)
        {
            return ValueTask.FromResult(false);
        }

        bool admitted = walGrainTypes.IsPartitionBound(grainClass)
            ? ownership.StateOf(PartitionOf(grainId)).State == LocalPartitionState.Serving
            : directory.IsRegisteredHere(grainId);
        return ValueTask.FromResult(admitted);
    }

    /// <inheritdoc />
    public void OnDeactivated(GrainId grainId, GrainClassDescriptor grainClass)
    {
        if (!walGrainTypes.IsPartitionBound(grainClass))
        {
            directory.OnDeactivated(grainId);
        }
    }

    private async Task<GrainCallRoute> RoutePartitionBoundAsync(GrainCallRequest request, int hops, CancellationToken cancellationToken)
    {
        int partition = PartitionOf(request.Target);
        DateTimeOffset deadline = time.GetUtcNow() + Min(options.PartitionWaitTimeout, responseTimeout);
        bool waitedForReadLease = false;
        while (true)
        {
            Task changed = Task.WhenAny(ownership.Changed.Next, membership.Changed.Next);
            PartitionRoute route = ownership.Route(partition);
            switch (route.Kind)
            {
                case PartitionRouteKind.Local:
                    return GrainCallRoute.Local;
                case PartitionRouteKind.Unavailable:
                    ClusterInstruments.CallUnavailable();
                    throw new PartitionUnavailableException(partition, route.Owner ?? "", route.Reason ?? "unavailable");
                case PartitionRouteKind.Forward:
                    return GrainCallRoute.Remote(ForwardAsync(route.Owner!, request, hops, partition, cancellationToken));
                case PartitionRouteKind.WaitForReadLease:
                    if (!waitedForReadLease)
                    {
                        waitedForReadLease = true;
                        ClusterInstruments.CallWaitedForReadLease(partition);
                    }

                    // Back as soon as the lease is (a lapse under load lasts until the followers' next answers), not a
                    // whole re-check period later.
                    if (ownership.WaitForReadLeaseAsync(partition) is { } leaseBack)
                    {
                        changed = Task.WhenAny(changed, leaseBack);
                    }

                    break;
            }

            await WaitForChangeAsync(changed, deadline, partition, route, cancellationToken);
        }
    }

    private async Task<GrainCallRoute> RouteDirectoryPlacedAsync(GrainCallRequest request, GrainClassDescriptor grainClass, int hops, CancellationToken cancellationToken)
    {
        GrainId grainId = request.Target;
        if (directory.IsRegisteredHere(grainId))
        {
            return GrainCallRoute.Local;
        }

        if (cache.TryGet(grainId, out string? cached) && IsActivePeer(cached))
        {
            return GrainCallRoute.Remote(ForwardAsync(cached, request, hops, -1, cancellationToken));
        }

        DirectoryEntry? entry = await directory.LookupAsync(grainId, cancellationToken);
        if (entry is { } found && !string.Equals(found.Silo, membership.Name, StringComparison.Ordinal))
        {
            cache.Set(grainId, found.Silo);
            return GrainCallRoute.Remote(ForwardAsync(found.Silo, request, hops, -1, cancellationToken));
        }

        ClusterSnapshot snapshot = membership.Current!;
        bool selfActive = snapshot.FindSilo(membership.Name) is { Status: SiloStatus.Active };
        string target = hops > 0 && selfActive
            ? membership.Name
            : PlacementDirector.Choose(PlacementDirector.StrategyOf(grainClass.GrainClass), grainId, snapshot, membership.Name);
        if (!string.Equals(target, membership.Name, StringComparison.Ordinal))
        {
            return GrainCallRoute.Remote(ForwardAsync(target, request, hops, -1, cancellationToken));
        }

        DirectoryEntry? existing = await directory.RegisterHereAsync(grainId, cancellationToken);
        if (existing is null)
        {
            return GrainCallRoute.Local;
        }

        cache.Set(grainId, existing.Value.Silo);
        return GrainCallRoute.Remote(ForwardAsync(existing.Value.Silo, request, hops, -1, cancellationToken));
    }

    private async Task<object?> ForwardAsync(string silo, GrainCallRequest request, int hops, int partition, CancellationToken cancellationToken)
    {
        DateTimeOffset deadline = time.GetUtcNow() + responseTimeout;
        while (true)
        {
            Task changed = membership.Changed.Next;
            ClusterSnapshot snapshot = membership.Current!;
            SiloRecord? row = snapshot.FindSilo(silo);
            if (row is not { IsLive: true })
            {
                cache.Remove(request.Target);
                return await RerouteAsync(request, cancellationToken);
            }

            var address = new SiloAddress(row.Name, row.Incarnation, row.SiloEndpoint);
            using var cancellation = new OutgoingCallCancellation(Interlocked.Increment(ref _nextCallId));
            try
            {
                byte[] call = codec.EncodeCall(request, hops + 1, snapshot.TableVersion, cancellation);
                Task<byte[]> sent = transport.SendAsync(address, SiloMessageType.Call, call, responseTimeout, cancellationToken);
                Interlocked.Increment(ref _forwardedCalls);
                cancellation.Watch(token => _ = SendCancelAsync(address, cancellation.CallId, token));
                byte[] response = await sent;
                ClusterInstruments.CallForwarded();
                (object? result, Exception? exception, string servedBy) = codec.DecodeResult(request.Method, response);
                if (partition < 0)
                {
                    cache.Set(request.Target, servedBy);
                }

                return exception is null ? result : throw exception;
            }
            catch (SiloUnavailableException ex) when (time.GetUtcNow() < deadline)
            {
                // Refused before it ran (the silo is stopping or left): route again once the view moved.
                LogForwardRefused(logger, request.Target, silo, ex.Message);
                await Task.WhenAny(changed, Task.Delay(options.LeaseRenewPeriod, time, cancellationToken));
                await membership.RefreshAsync(cancellationToken);
                cache.Remove(request.Target);
                return await RerouteAsync(request, cancellationToken);
            }
            catch (SiloUnreachableException ex) when (ex.NotDelivered && time.GetUtcNow() < deadline)
            {
                // Never sent: the silo is down or restarting. Wait for the view to move (it is declared dead within a
                // lease) and route again, which fails fast for a partition whose owner is dead.
                LogForwardNotDelivered(logger, request.Target, silo, ex.Message);
                await Task.WhenAny(changed, Task.Delay(options.LeaseRenewPeriod, time, cancellationToken));
                await membership.RefreshAsync(cancellationToken);
                cache.Remove(request.Target);
                if (partition >= 0 && ownership.Route(partition) is { Kind: PartitionRouteKind.Forward } route && string.Equals(route.Owner, silo, StringComparison.Ordinal))
                {
                    continue;
                }

                return await RerouteAsync(request, cancellationToken);
            }
        }
    }

    /// <summary>Tells the serving silo that a cancellable token argument of a forwarded call fired (best effort: a lost message only lets the grain run on).</summary>
    private async Task SendCancelAsync(SiloAddress silo, ulong callId, ulong tokenId)
    {
        try
        {
            await transport.SendAsync(silo, SiloMessageType.CancelCall, ClusterMessageHandler.EncodeCancel(callId, tokenId), options.ControlRequestTimeout, CancellationToken.None);
        }
        catch (Exception ex) when (ex is SiloUnreachableException or SiloUnavailableException or TimeoutException or ObjectDisposedException)
        {
            LogCancelNotDelivered(logger, silo.Name, callId, ex.Message);
        }
    }

    /// <summary>Routes a call again from the start, through the silo's invoker (which resolves the class and asks this router).</summary>
    private async Task<object?> RerouteAsync(GrainCallRequest request, CancellationToken cancellationToken)
        => await invoker().InvokeAsync(request, cancellationToken);

    private async Task WaitForChangeAsync(Task changed, DateTimeOffset deadline, int partition, PartitionRoute route, CancellationToken cancellationToken)
    {
        TimeSpan left = deadline - time.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            ClusterInstruments.CallUnavailable();
            throw new PartitionUnavailableException(partition, route.Owner ?? "", $"{route.Reason} (waited {Min(options.PartitionWaitTimeout, responseTimeout)})");
        }

        await Task.WhenAny(changed, Task.Delay(Min(left, options.LeaseRenewPeriod), time, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
    }

    private bool IsActivePeer(string silo) => membership.Current?.FindSilo(silo) is { IsLive: true } && !string.Equals(silo, membership.Name, StringComparison.Ordinal);

    private int PartitionOf(GrainId grainId) => PartitionMap.GetPartition(grainId, membership.Current!.PartitionCount);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(EventId = 4701, Level = LogLevel.Debug, Message = "Call to {GrainId} refused by {Silo} before it ran ({Reason}); routing again")]
    private static partial void LogForwardRefused(ILogger logger, GrainId grainId, string silo, string reason);

    [LoggerMessage(EventId = 4703, Level = LogLevel.Debug, Message = "Cancellation of forwarded call {CallId} not delivered to {Silo}: {Reason}")]
    private static partial void LogCancelNotDelivered(ILogger logger, string silo, ulong callId, string reason);

    [LoggerMessage(EventId = 4700, Level = LogLevel.Debug, Message = "Call to {GrainId} not delivered to {Silo} ({Reason}); routing again after the next view change")]
    private static partial void LogForwardNotDelivered(ILogger logger, GrainId grainId, string silo, string reason);
}
