using Actors.Runtime;

namespace Actors;

/// <summary>
/// What the runtime needs of a grain instance (Orleans' <c>IGrainBase</c>): its activation context and the activation
/// callbacks. <see cref="Grain"/> implements it; a plain class implementing it and its grain interfaces is a POCO grain.
/// </summary>
/// <remarks>
/// A POCO grain receives its <see cref="IGrainContext"/> by constructor injection. Timers, reminders and deactivation
/// requests are available to it through <see cref="GrainBaseExtensions"/>.
/// </remarks>
public interface IGrainBase
{
    /// <summary>The activation this grain belongs to.</summary>
    IGrainContext GrainContext { get; }

    /// <summary>Called once per activation after state is loaded and before the first call.</summary>
    /// <param name="token">Cancelled when the silo stops.</param>
    Task OnActivateAsync(CancellationToken token) => Task.CompletedTask;

    /// <summary>Called once when the activation is deactivated gracefully.</summary>
    /// <param name="reason">Why the activation is deactivated.</param>
    /// <param name="token">Cancelled when the shutdown grace period ends.</param>
    Task OnDeactivateAsync(DeactivationReason reason, CancellationToken token) => Task.CompletedTask;
}
