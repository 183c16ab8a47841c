namespace Actors.Journaling;

/// <summary>
/// A journaled grain whose events are of any class (Orleans' <c>JournaledGrain&lt;TGrainState&gt;</c>): events are typed
/// as <see cref="object"/>, and the state's <c>Apply</c> overloads are found by the runtime type of each event.
/// </summary>
/// <typeparam name="TState">The state.</typeparam>
public abstract class JournaledGrain<TState> : JournaledGrain<TState, object>
    where TState : class, new()
{
    /// <summary>Creates the grain.</summary>
    protected JournaledGrain()
    {
    }
}
