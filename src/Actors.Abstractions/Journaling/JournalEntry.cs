namespace Actors.Journaling;

/// <summary>A confirmed event and its version (the first event of a journal has version 1).</summary>
/// <typeparam name="TEvent">The event type.</typeparam>
/// <param name="Version">The event's version.</param>
/// <param name="Event">The event.</param>
public readonly record struct JournalEntry<TEvent>(long Version, TEvent Event);
