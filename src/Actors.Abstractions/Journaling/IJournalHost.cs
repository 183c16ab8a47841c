namespace Actors.Journaling;

/// <summary>The grain-side callbacks a <see cref="JournalView{TState, TEvent}"/> calls: event application and change notifications.</summary>
/// <typeparam name="TState">The journaled state.</typeparam>
/// <typeparam name="TEvent">The event type.</typeparam>
internal interface IJournalHost<TState, TEvent>
    where TState : class, new()
    where TEvent : class
{
    /// <summary>Applies one event to a state (the grain's <c>TransitionState</c>).</summary>
    void Apply(TState state, TEvent @event);

    /// <summary>The tentative state may have changed.</summary>
    void TentativeStateChanged();

    /// <summary>The confirmed state changed.</summary>
    void ConfirmedStateChanged();
}
