using Actors.Wal;

namespace Actors.Hosting.Tests.Silo;

/// <summary>
/// Delegates to a real log until <see cref="FailFsync"/> is called; from then on it behaves as the engine does after a
/// failed fsync: <see cref="LogStatistics.IsFailed"/> is true and every write and flush throws <see cref="LogFailedException"/>.
/// </summary>
internal sealed class FailableEventLog(IEventLog inner) : IEventLog
{
    private volatile LogFailedException? _failure;

    public IEventLog Inner => inner;

    public long WrittenLsn => inner.WrittenLsn;

    public long DurableLsn => inner.DurableLsn;

    public void FailFsync(string directory) =>
        _failure = new LogFailedException(directory, "fsync", new IOException("Input/output error (injected fsync failure)"));

    public ValueTask<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<ReadOnlyMemory<byte>> events, CancellationToken cancellationToken = default)
    {
        ThrowIfFailed();
        return inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);
    }

    public ValueTask<CheckpointResult> WriteCheckpointAsync(string streamId, long version, ReadOnlyMemory<byte> state, CancellationToken cancellationToken = default)
    {
        ThrowIfFailed();
        return inner.WriteCheckpointAsync(streamId, version, state, cancellationToken);
    }

    public ValueTask<StreamReadResult> ReadStreamAsync(string streamId, ReadBound bound = default, CancellationToken cancellationToken = default) =>
        inner.ReadStreamAsync(streamId, bound, cancellationToken);

    public ValueTask<IReadOnlyList<StoredEvent>> ReadEventsAsync(string streamId, long fromVersion, long toVersion, CancellationToken cancellationToken = default) =>
        inner.ReadEventsAsync(streamId, fromVersion, toVersion, cancellationToken);

    public ValueTask<AppendResult> DeleteStreamAsync(string streamId, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ThrowIfFailed();
        return inner.DeleteStreamAsync(streamId, expectedVersion, cancellationToken);
    }

    public ValueTask<EraseResult> DeleteEventsToAsync(string streamId, long toVersion, CancellationToken cancellationToken = default)
    {
        ThrowIfFailed();
        return inner.DeleteEventsToAsync(streamId, toVersion, cancellationToken);
    }

    public StreamInfo GetStreamInfo(string streamId) => inner.GetStreamInfo(streamId);

    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfFailed();
        return inner.FlushAsync(cancellationToken);
    }

    public LogStatistics GetStatistics() => _failure is null ? inner.GetStatistics() : inner.GetStatistics() with { IsFailed = true };

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw failure;
        }
    }
}
