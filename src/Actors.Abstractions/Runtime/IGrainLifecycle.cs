namespace Actors.Runtime;

/// <summary>
/// The lifecycle of one activation, observed by grain-side participants such as journals and persistent states
/// (Orleans' <c>IGrainLifecycle</c> role). Stages are integers; see <see cref="GrainLifecycleStage"/>.
/// </summary>
/// <remarks>
/// At activation, every participant's <c>onStart</c> runs on the activation's scheduler in ascending stage order (in
/// subscription order within a stage); the grain's <see cref="Grain.OnActivateAsync"/> runs at
/// <see cref="GrainLifecycleStage.Activate"/>, after the participants of that stage. An exception fails the
/// activation. At graceful deactivation, <see cref="Grain.OnDeactivateAsync"/> runs first, then every
/// <c>onStop</c> in descending stage order; an exception there is logged and the next one still runs. A killed silo
/// calls neither. Subscribe before activation completes (in the grain's constructor or in
/// <see cref="ILifecycleParticipant{TLifecycleObservable}.Participate"/>); later subscriptions are refused.
/// </remarks>
public interface IGrainLifecycle
{
    /// <summary>Adds a participant.</summary>
    /// <param name="observerName">A name for logs and errors.</param>
    /// <param name="stage">When it starts (ascending) and stops (descending).</param>
    /// <param name="onStart">Runs at activation; the token is cancelled when the silo stops.</param>
    /// <param name="onStop">Runs at graceful deactivation, or null; the token is cancelled when the shutdown grace period ends.</param>
    /// <exception cref="InvalidOperationException">The activation has already started its lifecycle.</exception>
    void Subscribe(string observerName, int stage, Func<CancellationToken, Task> onStart, Func<CancellationToken, Task>? onStop = null);
}
