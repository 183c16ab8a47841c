using Actors.Wal;

namespace Actors.Persistence.Wal.Tests.Support;

/// <summary>An <see cref="IEventLog"/> decorator that counts calls and injects I/O failures on demand.</summary>
public sealed class FaultyEventLog(IEventLog inner, bool disposeInner = false) : IEventLog
{
    private int _appends;
    private int _checkpoints;

    public IEventLog Inner { get; } = inner;

    /// <summary>When true, appends fail as a failed log does (LogFailedException wrapping an IOException).</summary>
    public bool FailAppends { get; set; }

    /// <summary>When true, appends are stored and then reported as failed (outcome unknown to the caller).</summary>
    public bool FailAfterAppend { get; set; }

    /// <summary>When above 0, reading events below this version fails as if they were reclaimed after a checkpoint.</summary>
    public long ReclaimedBelowVersion { get; set; }

    /// <summary>Runs after each append the inner log stored (before the result reaches the caller).</summary>
    public Action? AfterAppend { get; set; }

    public int Appends => Volatile.Read(ref _appends);

    public int Checkpoints => Volatile.Read(ref _checkpoints);

    public long WrittenLsn => Inner.WrittenLsn;

    public long DurableLsn => Inner.DurableLsn;

    public async ValueTask<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<ReadOnlyMemory<byte>> events, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _appends);
        if (FailAppends)
        {
            throw new LogFailedException("/injected", "write", new IOException("injected write failure"));
        }

        AppendResult result = await Inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);
        AfterAppend?.Invoke();
        if (FailAfterAppend)
        {
            throw new LogFailedException("/injected", "fsync", new IOException("injected fsync failure"));
        }

        return result;
    }

    /// <summary>When set, checkpoints are stored only once this task completes (a checkpoint whose fsync is slow).</summary>
    public Task? CheckpointGate { get; set; }

    public async ValueTask<CheckpointResult> WriteCheckpointAsync(string streamId, long version, ReadOnlyMemory<byte> state, CancellationToken cancellationToken = default)
    {
        if (CheckpointGate is { } gate)
        {
            await gate.WaitAsync(cancellationToken);
        }

        CheckpointResult result = await Inner.WriteCheckpointAsync(streamId, version, state, cancellationToken);
        Interlocked.Increment(ref _checkpoints);
        return result;
    }

    public ValueTask<StreamReadResult> ReadStreamAsync(string streamId, ReadBound bound = default, CancellationToken cancellationToken = default) =>
        Inner.ReadStreamAsync(streamId, bound, cancellationToken);

    public ValueTask<IReadOnlyList<StoredEvent>> ReadEventsAsync(string streamId, long fromVersion, long toVersion, CancellationToken cancellationToken = default) =>
        fromVersion < ReclaimedBelowVersion
            ? throw new EventsReclaimedException(streamId, fromVersion, ReclaimedBelowVersion)
            : Inner.ReadEventsAsync(streamId, fromVersion, toVersion, cancellationToken);

    public ValueTask<AppendResult> DeleteStreamAsync(string streamId, long expectedVersion, CancellationToken cancellationToken = default) =>
        Inner.DeleteStreamAsync(streamId, expectedVersion, cancellationToken);

    public ValueTask<EraseResult> DeleteEventsToAsync(string streamId, long toVersion, CancellationToken cancellationToken = default) =>
        Inner.DeleteEventsToAsync(streamId, toVersion, cancellationToken);

    public StreamInfo GetStreamInfo(string streamId) => Inner.GetStreamInfo(streamId);

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => Inner.FlushAsync(cancellationToken);

    public LogStatistics GetStatistics() => Inner.GetStatistics();

    public ValueTask DisposeAsync() => disposeInner ? Inner.DisposeAsync() : ValueTask.CompletedTask;
}
