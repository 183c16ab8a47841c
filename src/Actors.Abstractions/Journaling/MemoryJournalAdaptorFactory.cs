using System.Collections.Concurrent;

namespace Actors.Journaling;

/// <summary>
/// A volatile journal store (registered by <c>AddMemoryJournalStorage</c>): each grain's events stay in memory, as
/// objects, until the store is dropped with the silo. No checkpoints.
/// </summary>
/// <remarks>Thread-safe. For tests and grains that need no durability.</remarks>
public sealed class MemoryJournalAdaptorFactory : IJournalAdaptorFactory
{
    private readonly ConcurrentDictionary<GrainId, MemoryJournalStream> _streams = new();

    /// <inheritdoc />
    public IJournalAdaptor<TState, TEvent> Create<TState, TEvent>(JournalAdaptorContext context)
        where TState : class, new()
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(context);
        return new MemoryJournalAdaptor<TState, TEvent>(_streams.GetOrAdd(context.GrainId, static id => new MemoryJournalStream(id)));
    }
}
