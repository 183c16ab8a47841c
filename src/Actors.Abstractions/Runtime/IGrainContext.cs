namespace Actors.Runtime;

/// <summary>
/// One activation of a grain as grain code and grain-side libraries see it (Orleans' <c>IGrainContext</c> shape): its
/// identity, its services, its lifecycle and the requests it may make of the runtime. The silo's runtime implements
/// it; <see cref="Grain"/> reaches its activation only through it.
/// </summary>
/// <remarks>
/// A grain is bound to its context when it is constructed (see <see cref="RuntimeContext"/>). Members may be called
/// from the activation's own turns; <see cref="Deactivate"/>, <see cref="DeactivateOnIdle"/> and
/// <see cref="DelayDeactivation"/> are also thread-safe.
/// </remarks>
public interface IGrainContext
{
    /// <summary>The grain's identity (inside a silo its type half is always the grain class's type name).</summary>
    GrainId GrainId { get; }

    /// <summary>The grain instance, or null while it is being constructed.</summary>
    object? GrainInstance { get; }

    /// <summary>The services the activation resolves from (the silo's; there is no scope per activation).</summary>
    IServiceProvider ActivationServices { get; }

    /// <summary>A factory for references to other grains (and to this one).</summary>
    IGrainFactory GrainFactory { get; }

    /// <summary>
    /// The activation's lifecycle: participants subscribed before activation completes start in stage order before
    /// the grain serves its first request, and stop in reverse order after <see cref="Grain.OnDeactivateAsync"/>.
    /// </summary>
    IGrainLifecycle ObservableLifecycle { get; }

    /// <summary>
    /// Deactivates the activation as soon as the requests running now finish: queued requests do not start here and
    /// go to the next activation. Used when the activation's state may no longer match storage.
    /// </summary>
    /// <param name="reason">Why; a reason carrying an <see cref="DeactivationReason.Exception"/> is logged as a warning.</param>
    void Deactivate(DeactivationReason reason);

    /// <summary>Deactivates the activation once no request runs or waits; cancels <see cref="DelayDeactivation"/>.</summary>
    /// <param name="reason">Why.</param>
    void DeactivateOnIdle(DeactivationReason reason);

    /// <summary>Keeps the activation from idle collection for at least <paramref name="timeSpan"/>; a negative value cancels an earlier delay.</summary>
    void DelayDeactivation(TimeSpan timeSpan);
}
