namespace Actors.Journaling;

/// <summary>
/// A journal store: creates one <see cref="IJournalAdaptor{TState, TEvent}"/> per activation of a journaled grain that
/// opted into it. Registered as a keyed singleton by store name (the write-ahead log provider registers one per
/// configured log).
/// </summary>
public interface IJournalAdaptorFactory
{
    /// <summary>Creates the adaptor for one activation.</summary>
    IJournalAdaptor<TState, TEvent> Create<TState, TEvent>(JournalAdaptorContext context)
        where TState : class, new()
        where TEvent : class;
}
