namespace Actors.Wal.Tests.Properties;

/// <summary>
/// A deliberately broken log for checking that the property test can fail: reads by timestamp exclude records
/// stamped exactly at the bound (as if the bound were exclusive). Everything else is delegated.
/// </summary>
internal sealed class TimeBoundOffByOneEventLog(IEventLog inner) : IEventLog
{
    public long WrittenLsn => inner.WrittenLsn;

    public long DurableLsn => inner.DurableLsn;

    public ValueTask<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<ReadOnlyMemory<byte>> events, CancellationToken cancellationToken = default) =>
        inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);

    public ValueTask<CheckpointResult> WriteCheckpointAsync(string streamId, long version, ReadOnlyMemory<byte> state, CancellationToken cancellationToken = default) =>
        inner.WriteCheckpointAsync(streamId, version, state, cancellationToken);

    public ValueTask<StreamReadResult> ReadStreamAsync(string streamId, ReadBound bound = default, CancellationToken cancellationToken = default) =>
        inner.ReadStreamAsync(streamId, bound.AsOf is { } asOf ? ReadBound.AtTime(asOf - TimeSpan.FromTicks(1)) : bound, cancellationToken);

    public ValueTask<IReadOnlyList<StoredEvent>> ReadEventsAsync(string streamId, long fromVersion, long toVersion, CancellationToken cancellationToken = default) =>
        inner.ReadEventsAsync(streamId, fromVersion, toVersion, cancellationToken);

    public ValueTask<AppendResult> DeleteStreamAsync(string streamId, long expectedVersion, CancellationToken cancellationToken = default) =>
        inner.DeleteStreamAsync(streamId, expectedVersion, cancellationToken);

    public ValueTask<EraseResult> DeleteEventsToAsync(string streamId, long toVersion, CancellationToken cancellationToken = default) =>
        inner.DeleteEventsToAsync(streamId, toVersion, cancellationToken);

    public StreamInfo GetStreamInfo(string streamId) => inner.GetStreamInfo(streamId);

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public LogStatistics GetStatistics() => inner.GetStatistics();

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
