using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Actors.Journaling;
using Actors.Runtime.Tests.Grains;
using Actors.Storage;

namespace Actors.Runtime.Tests.Infrastructure;

/// <summary>
/// A scriptable journal store: keeps events per grain, refuses to encode <see cref="Unencodable"/>, and fails or
/// rejects the next append on request. Records appends, confirmations and deactivations.
/// </summary>
public sealed class TestJournalStore : IJournalAdaptorFactory
{
    private readonly ConcurrentDictionary<GrainId, Stream> _streams = new();

    /// <summary>Thrown by the next append; whether the events were stored first is <see cref="StoreBeforeFailing"/>.</summary>
    public Exception? FailNextAppend { get; set; }

    public bool StoreBeforeFailing { get; set; }

    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>When set, appends wait for it before storing (so a test can hold a confirmation in flight).</summary>
    public TaskCompletionSource? HoldAppends { get; set; }

    /// <summary>Completes when an append reaches the store (before <see cref="HoldAppends"/>).</summary>
    public TaskCompletionSource AppendArrived { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stores events as another writer of the grain's journal would (the activation does not know).</summary>
    public void AppendExternally(GrainId grainId, params LedgerEvent[] events)
    {
        Stream stream = _streams.GetOrAdd(grainId, _ => new Stream());
        lock (stream)
        {
            long version = stream.Version;
            stream.Events.AddRange(events.Select((e, i) => (version + i + 1, (object)e)));
        }
    }

    public void Seed(GrainId grainId, JournalCheckpoint<LedgerState>? checkpoint, params (long Version, LedgerEvent Event)[] events)
    {
        Stream stream = _streams.GetOrAdd(grainId, _ => new Stream());
        stream.Checkpoint = checkpoint;
        stream.Events.AddRange(events.Select(e => (e.Version, (object)e.Event)));
    }

    public IJournalAdaptor<TState, TEvent> Create<TState, TEvent>(JournalAdaptorContext context)
        where TState : class, new()
        where TEvent : class
        => new Adaptor<TState, TEvent>(this, context.GrainId, _streams.GetOrAdd(context.GrainId, _ => new Stream()));

    private sealed class Stream
    {
        public object? Checkpoint { get; set; }

        public List<(long Version, object Event)> Events { get; } = [];

        public long Version => Events.Count == 0 ? (Checkpoint as JournalCheckpoint<LedgerState>)?.Version ?? 0 : Events[^1].Version;
    }

    private sealed class Prepared(object[] events) : PreparedEvents
    {
        public object[] Events { get; } = events;

        public override int Count => Events.Length;
    }

    private sealed class Adaptor<TState, TEvent>(TestJournalStore store, GrainId grainId, Stream stream) : IJournalAdaptor<TState, TEvent>
        where TState : class, new()
        where TEvent : class
    {
        public Task<JournalCheckpoint<TState>?> ReadCheckpointAsync(CancellationToken cancellationToken)
            => Task.FromResult(stream.Checkpoint as JournalCheckpoint<TState>);

        public async IAsyncEnumerable<JournalEntry<TEvent>> ReadEventsAsync(long fromVersion, long toVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            (long Version, object Event)[] stored;
            lock (stream)
            {
                stored = [.. stream.Events];
            }

            foreach ((long version, object @event) in stored)
            {
                if (version >= fromVersion && version <= toVersion)
                {
                    yield return new JournalEntry<TEvent>(version, (TEvent)@event);
                }
            }
        }

        public PreparedEvents PrepareEvents(IReadOnlyList<TEvent> events)
        {
            if (events.OfType<Unencodable>().Any())
            {
                throw new NotSupportedException("The test codec cannot encode Unencodable.");
            }

            return new Prepared([.. events]);
        }

        public async Task AppendAsync(long expectedVersion, IReadOnlyList<PreparedEvents> batches, CancellationToken cancellationToken)
        {
            await Task.Yield();
            TaskCompletionSource arrived = store.AppendArrived;
            store.AppendArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            arrived.TrySetResult();
            if (store.HoldAppends is { } hold)
            {
                await hold.Task;
            }

            object[] events = [.. batches.SelectMany(b => ((Prepared)b).Events)];
            if (store.FailNextAppend is { } failure)
            {
                store.FailNextAppend = null;
                if (failure is EventRejectedException || !store.StoreBeforeFailing)
                {
                    throw failure;
                }

                Store(expectedVersion, events);
                throw failure;
            }

            Store(expectedVersion, events);
            store.Log.Enqueue($"append:{grainId.Key}:{expectedVersion}+{events.Length}");
        }

        public Task OnConfirmedAsync(TState confirmedState, long version, CancellationToken cancellationToken)
        {
            store.Log.Enqueue($"confirmed:{grainId.Key}:{version}:{(confirmedState as LedgerState)?.Balance}");
            return Task.CompletedTask;
        }

        public Task OnDeactivateAsync(TState confirmedState, long version, CancellationToken cancellationToken)
        {
            store.Log.Enqueue($"deactivated:{grainId.Key}:{version}:{(confirmedState as LedgerState)?.Balance}");
            return Task.CompletedTask;
        }

        public Task EraseHistoryAsync(TState confirmedState, long version, long toVersion, CancellationToken cancellationToken)
        {
            // Only recorded (the scheduling tests look at the order of calls); this store keeps its events.
            store.Log.Enqueue($"erase:{grainId.Key}:{version}:{toVersion}");
            return Task.CompletedTask;
        }

        private void Store(long expectedVersion, object[] events)
        {
            lock (stream)
            {
                if (stream.Version != expectedVersion)
                {
                    throw new InconsistentStateException(
                        $"version conflict: stream at {stream.Version}, expected {expectedVersion}",
                        stream.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        expectedVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                for (int i = 0; i < events.Length; i++)
                {
                    stream.Events.Add((expectedVersion + i + 1, events[i]));
                }
            }
        }
    }
}
