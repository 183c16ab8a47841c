using System.Collections.Concurrent;

namespace Actors.Journaling;

/// <summary>A volatile journal store: each grain's events stay in memory until the silo stops.</summary>
internal sealed class MemoryJournalAdaptorFactory : IJournalAdaptorFactory
{
    private readonly ConcurrentDictionary<GrainId, MemoryJournalStream> _streams = new();

    public IJournalAdaptor<TState, TEvent> Create<TState, TEvent>(JournalAdaptorContext context)
        where TState : class, new()
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(context);
        return new MemoryJournalAdaptor<TState, TEvent>(_streams.GetOrAdd(context.GrainId, static id => new MemoryJournalStream(id)));
    }
}
