using System.Collections.Concurrent;
using Actors.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Journaling;

/// <summary>
/// A volatile journal store (registered by <c>AddMemoryJournalStorage</c>): each grain's events stay in memory, as
/// objects, until the store is dropped with the silo. The only checkpoints are those <c>EraseConfirmedEvents</c> writes
/// (serialized with the silo's <see cref="IGrainSerializer"/>).
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
        return new MemoryJournalAdaptor<TState, TEvent>(
            _streams.GetOrAdd(context.GrainId, static id => new MemoryJournalStream(id)),
            context.Services.GetService<IGrainSerializer>());
    }
}
