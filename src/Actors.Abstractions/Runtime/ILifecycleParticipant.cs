namespace Actors.Runtime;

/// <summary>An object that takes part in a lifecycle by subscribing to it (Orleans' shape).</summary>
/// <typeparam name="TLifecycleObservable">The lifecycle, for example <see cref="IGrainLifecycle"/>.</typeparam>
/// <remarks>
/// The runtime calls <see cref="Participate"/> on a grain instance that implements
/// <c>ILifecycleParticipant&lt;IGrainLifecycle&gt;</c> right after constructing it (<see cref="Grain"/> does, through its
/// protected virtual <c>Participate</c>).
/// </remarks>
public interface ILifecycleParticipant<in TLifecycleObservable>
{
    /// <summary>Subscribes to <paramref name="lifecycle"/>.</summary>
    void Participate(TLifecycleObservable lifecycle);
}
