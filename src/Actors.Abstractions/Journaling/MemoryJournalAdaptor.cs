using System.Runtime.CompilerServices;

namespace Actors.Journaling;

/// <summary>An in-memory journal: events kept as objects (not encoded), no checkpoints.</summary>
internal sealed class MemoryJournalAdaptor<TState, TEvent>(MemoryJournalStream stream) : IJournalAdaptor<TState, TEvent>
    where TState : class, new()
    where TEvent : class
{
    public Task<JournalCheckpoint<TState>?> ReadCheckpointAsync(CancellationToken cancellationToken) => Task.FromResult<JournalCheckpoint<TState>?>(null);

    public async IAsyncEnumerable<JournalEntry<TEvent>> ReadEventsAsync(long fromVersion, long toVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        object[] events = stream.Snapshot();
        for (long version = Math.Max(1, fromVersion); version <= Math.Min(toVersion, events.Length); version++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new JournalEntry<TEvent>(version, (TEvent)events[version - 1]);
        }

        await Task.CompletedTask;
    }

    public PreparedEvents PrepareEvents(IReadOnlyList<TEvent> events) => new MemoryPreparedEvents([.. events]);

    public Task AppendAsync(long expectedVersion, IReadOnlyList<PreparedEvents> batches, CancellationToken cancellationToken)
    {
        stream.Append(expectedVersion, batches.SelectMany(b => ((MemoryPreparedEvents)b).Events).ToArray());
        return Task.CompletedTask;
    }

    public Task OnConfirmedAsync(TState confirmedState, long version, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task OnDeactivateAsync(TState confirmedState, long version, CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class MemoryPreparedEvents(object[] events) : PreparedEvents
    {
        public object[] Events { get; } = events;

        public override int Count => Events.Length;
    }
}
