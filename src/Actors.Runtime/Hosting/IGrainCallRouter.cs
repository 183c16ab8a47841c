using Actors.Invocation;

namespace Actors.Hosting;

/// <summary>
/// The runtime's one hook for running several silos: decides, for every grain call this silo is about to serve (from a
/// client, a gateway, a grain, or a request queued at an activation that went away), whether an activation in this silo
/// serves it or the call goes elsewhere, and whether an activation may start here. A single silo registers none; a
/// cluster registers one singleton.
/// </summary>
/// <remarks>
/// <para>
/// The runtime calls <see cref="RouteAsync"/> before a call is queued at a local activation, and again for each request
/// that was queued at an activation that deactivated or refused to activate before serving it. It calls
/// <see cref="CanActivateAsync"/> before it constructs a grain: a refusal drops the activation (no grain code runs) and
/// routes its queued requests again, so the router must not keep answering "local" for a grain it refuses (the runtime
/// fails a request after 32 such round trips). <see cref="OnDeactivated"/> follows every activation that passed
/// <see cref="CanActivateAsync"/> once it has left the catalog (deactivated, or failed to activate), except when the
/// silo is killed.
/// </para>
/// <para>Implementations are thread-safe and must not block: the runtime awaits them on the caller's or the activation's thread.</para>
/// </remarks>
public interface IGrainCallRouter
{
    /// <summary>Decides where <paramref name="request"/> (whose target is the canonical grain id) is served.</summary>
    /// <param name="request">The call; its arguments are the caller's (not yet copied).</param>
    /// <param name="grainClass">The class that serves the target.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    /// <returns><see cref="GrainCallRoute.Local"/>, or a remote route whose outcome is the call's result.</returns>
    ValueTask<GrainCallRoute> RouteAsync(GrainCallRequest request, GrainClassDescriptor grainClass, CancellationToken cancellationToken);

    /// <summary>Whether this silo may activate <paramref name="grainId"/> now (checked before the grain is constructed).</summary>
    ValueTask<bool> CanActivateAsync(GrainId grainId, GrainClassDescriptor grainClass, CancellationToken cancellationToken);

    /// <summary>An activation that <see cref="CanActivateAsync"/> admitted has left this silo's catalog.</summary>
    void OnDeactivated(GrainId grainId, GrainClassDescriptor grainClass);
}
