namespace Actors.Journaling;

/// <summary>
/// A journaled state that applies its own events. <see cref="JournaledGrain{TState, TEvent}.TransitionState"/> calls
/// <see cref="Apply"/> by default, so a state written as <c>class Account : IApply&lt;AccountEvent&gt;</c> with a
/// <c>switch</c> over the event types needs no override in the grain.
/// </summary>
/// <typeparam name="TEvent">The grain's event type (usually a base type of its events).</typeparam>
public interface IApply<in TEvent>
{
    /// <summary>Applies one event to this state. Must be deterministic: it runs again on replay.</summary>
    void Apply(TEvent @event);
}
