namespace Actors.TestingHost.Conformance;

/// <summary>
/// How the journal conformance scenarios build events and read states, so a store can be checked with its own event
/// and state types (for example events that carry the store's stable type-name attribute).
/// </summary>
/// <typeparam name="TState">The journaled state.</typeparam>
/// <typeparam name="TEvent">The event type.</typeparam>
/// <param name="CreateEvent">Creates an event that adds an amount.</param>
/// <param name="AmountOf">Reads the amount back from an event.</param>
/// <param name="TotalOf">Reads the sum of the applied amounts from a state.</param>
/// <param name="Apply">Applies an event to a state.</param>
public sealed record JournalConformanceModel<TState, TEvent>(
    Func<int, TEvent> CreateEvent,
    Func<TEvent, int> AmountOf,
    Func<TState, int> TotalOf,
    Action<TState, TEvent> Apply);
