using System.Runtime.CompilerServices;
using Actors.Serialization;

namespace Actors.Journaling;

/// <summary>
/// An in-memory journal: events kept as objects (not encoded). The only checkpoint is the one an erase writes, kept
/// serialized with the silo's <see cref="IGrainSerializer"/> so that each activation gets its own copy.
/// </summary>
internal sealed class MemoryJournalAdaptor<TState, TEvent>(MemoryJournalStream stream, IGrainSerializer? serializer) : IJournalAdaptor<TState, TEvent>
    where TState : class, new()
    where TEvent : class
{
    public Task<JournalCheckpoint<TState>?> ReadCheckpointAsync(CancellationToken cancellationToken)
    {
        if (stream.Checkpoint is not { } checkpoint)
        {
            return Task.FromResult<JournalCheckpoint<TState>?>(null);
        }

        // The serializer exists: the erase that wrote the checkpoint used it.
        var state = (TState)serializer!.Deserialize(checkpoint.State, typeof(TState))!;
        return Task.FromResult<JournalCheckpoint<TState>?>(new JournalCheckpoint<TState>(state, checkpoint.Version));
    }

    public async IAsyncEnumerable<JournalEntry<TEvent>> ReadEventsAsync(long fromVersion, long toVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        (object?[] events, long erasedTo) = stream.Snapshot();
        long first = Math.Max(1, fromVersion);
        long last = Math.Min(toVersion, events.Length);
        if (first <= last && first <= erasedTo)
        {
            throw new EventHistoryUnavailableException(stream.GrainId, first, last, erasedTo + 1, $"Events 1..{erasedTo} were erased on request (EraseConfirmedEvents).");
        }

        for (long version = first; version <= last; version++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new JournalEntry<TEvent>(version, (TEvent)events[version - 1]!);
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

    public Task EraseHistoryAsync(TState confirmedState, long version, long toVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(confirmedState);
        ArgumentOutOfRangeException.ThrowIfLessThan(toVersion, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(toVersion, version);
        if (serializer is null)
        {
            throw new HistoryEraseRejectedException(stream.GrainId, toVersion,
                $"The in-memory journal of grain '{stream.GrainId}' cannot erase its events up to version {toVersion}: the checkpoint that replaces them needs an {nameof(IGrainSerializer)} among the silo's services, and none is registered. Nothing was erased.");
        }

        byte[] state;
        try
        {
            state = serializer.Serialize(confirmedState, typeof(TState));
        }
        catch (Exception ex)
        {
            throw new HistoryEraseRejectedException(stream.GrainId, toVersion,
                $"The in-memory journal of grain '{stream.GrainId}' cannot erase its events up to version {toVersion}: the checkpoint of its state ({typeof(TState).FullName}) at version {version} cannot be serialized: {ex.Message} Nothing was erased.", ex);
        }

        stream.Erase(state, version, toVersion);
        return Task.CompletedTask;
    }

    private sealed class MemoryPreparedEvents(object[] events) : PreparedEvents
    {
        public object[] Events { get; } = events;

        public override int Count => Events.Length;
    }
}
