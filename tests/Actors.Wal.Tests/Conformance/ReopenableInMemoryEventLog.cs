namespace Actors.Wal.Tests.Conformance;

/// <summary>
/// A handle on a shared <see cref="InMemoryEventLog"/>: disposing the handle closes only the handle, and
/// <see cref="Reopen"/> hands out a new one on the same memory. Lets the reopen tests of
/// <see cref="PersistentEventLogConformanceTests"/> check their own logic without a persistent engine.
/// </summary>
internal sealed class ReopenableInMemoryEventLog(InMemoryEventLog store) : IEventLog
{
    private int _disposed;

    public long WrittenLsn => store.WrittenLsn;

    public long DurableLsn => store.DurableLsn;

    public ReopenableInMemoryEventLog Reopen() => new(store);

    public ValueTask<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<ReadOnlyMemory<byte>> events, CancellationToken cancellationToken = default) =>
        IsDisposed ? ValueTask.FromException<AppendResult>(Disposed()) : store.AppendAsync(streamId, expectedVersion, events, cancellationToken);

    public ValueTask<CheckpointResult> WriteCheckpointAsync(string streamId, long version, ReadOnlyMemory<byte> state, CancellationToken cancellationToken = default) =>
        IsDisposed ? ValueTask.FromException<CheckpointResult>(Disposed()) : store.WriteCheckpointAsync(streamId, version, state, cancellationToken);

    public IAsyncEnumerable<LogChange> ReadChangesAsync(ChangeFeedPosition from, bool follow = true, CancellationToken cancellationToken = default) =>
        IsDisposed ? throw Disposed() : store.ReadChangesAsync(from, follow, cancellationToken);

    public ValueTask<StreamReadResult> ReadStreamAsync(string streamId, ReadBound bound = default, CancellationToken cancellationToken = default) =>
        IsDisposed ? ValueTask.FromException<StreamReadResult>(Disposed()) : store.ReadStreamAsync(streamId, bound, cancellationToken);

    public ValueTask<IReadOnlyList<StoredEvent>> ReadEventsAsync(string streamId, long fromVersion, long toVersion, CancellationToken cancellationToken = default) =>
        IsDisposed ? ValueTask.FromException<IReadOnlyList<StoredEvent>>(Disposed()) : store.ReadEventsAsync(streamId, fromVersion, toVersion, cancellationToken);

    public IAsyncEnumerable<StoredEvent> ReadStreamEventsAsync(string streamId, long fromVersion = 1, CancellationToken cancellationToken = default) =>
        IsDisposed ? throw Disposed() : store.ReadStreamEventsAsync(streamId, fromVersion, cancellationToken);

    public ValueTask<AppendResult> DeleteStreamAsync(string streamId, long expectedVersion, CancellationToken cancellationToken = default) =>
        IsDisposed ? ValueTask.FromException<AppendResult>(Disposed()) : store.DeleteStreamAsync(streamId, expectedVersion, cancellationToken);

    public ValueTask<EraseResult> DeleteEventsToAsync(string streamId, long toVersion, CancellationToken cancellationToken = default) =>
        IsDisposed ? ValueTask.FromException<EraseResult>(Disposed()) : store.DeleteEventsToAsync(streamId, toVersion, cancellationToken);

    public ValueTask<CheckpointDeletionResult> DeleteCheckpointsAsync(string streamId, CheckpointSelectionCriteria criteria, CancellationToken cancellationToken = default) =>
        IsDisposed ? ValueTask.FromException<CheckpointDeletionResult>(Disposed()) : store.DeleteCheckpointsAsync(streamId, criteria, cancellationToken);

    public StreamInfo GetStreamInfo(string streamId) => IsDisposed ? throw Disposed() : store.GetStreamInfo(streamId);

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) =>
        IsDisposed ? ValueTask.FromException(Disposed()) : store.FlushAsync(cancellationToken);

    public LogStatistics GetStatistics() => IsDisposed ? throw Disposed() : store.GetStatistics();

    public ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _disposed, 1);
        return ValueTask.CompletedTask;
    }

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    private ObjectDisposedException Disposed() => new(nameof(ReopenableInMemoryEventLog));
}
