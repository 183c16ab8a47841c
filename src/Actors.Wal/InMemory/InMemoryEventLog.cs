namespace Actors.Wal;

/// <summary>
/// A volatile, thread-safe <see cref="IEventLog"/> that keeps every stream in memory, with the same semantics as
/// <see cref="WriteAheadLog"/>: versions, expected-version checks, atomic batches, checkpoints, point-in-time
/// reads, tombstones and argument validation behave identically. For tests and for grains whose state may be
/// lost with the process.
/// </summary>
/// <remarks>
/// <para>
/// Durability: nothing survives the process. <see cref="WrittenLsn"/> and <see cref="DurableLsn"/> are always
/// equal, a completed task means the change is visible to every later read, and <see cref="FlushAsync"/> does
/// nothing.
/// </para>
/// <para>
/// Thread safety: every member may be called concurrently. Writes and reads are serialized by one short lock
/// (payloads are copied before it is taken); no member waits for anything else, so every returned task has
/// already completed. A batch is applied as a whole under the lock, so concurrent appends to one stream never
/// interleave inside a batch and readers never see part of a batch.
/// </para>
/// <para>
/// Buffers: payloads are copied on append, so callers may reuse their buffers as soon as the call returns.
/// Buffers returned by reads are read-only views of those private copies; the log never changes them, so the
/// caller may keep them for as long as it likes, but must not write to them through
/// <see cref="System.Runtime.InteropServices.MemoryMarshal"/>.
/// </para>
/// <para>
/// Change feed: <see cref="ReadChangesAsync"/> hands out every change in LSN order, like the write-ahead log's
/// (<see cref="ILogChangeFeed"/>).
/// </para>
/// <para>
/// Retention: nothing is ever reclaimed. Point-in-time reads and <see cref="ReadEventsAsync"/> see the whole
/// history, including events below the latest checkpoint and events of deleted streams, and
/// <see cref="EventsReclaimedException"/> is never thrown.
/// </para>
/// <para>
/// Time: record timestamps come from the injected <see cref="System.TimeProvider"/> (normalized to UTC) and are
/// clamped so that they never decrease, even if that clock goes back; point-in-time reads by timestamp rely on it.
/// </para>
/// </remarks>
public sealed partial class InMemoryEventLog : IEventLog
{
    private readonly Lock _lock = new();

    /// <summary>Changes by LSN - 1; null where erased. Guarded by <see cref="_lock"/>.</summary>
    private readonly List<LogChange?> _changes = [];

    /// <summary>Completed (and replaced) at every commit and at disposal; tailing readers wait on it.</summary>
    private TaskCompletionSource _committed = NewCommitSignal();

    private readonly Dictionary<string, InMemoryStream> _streams = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private long _lastLsn;
    private DateTimeOffset _lastTimestamp = DateTimeOffset.MinValue;
    private long _appendedRecords;
    private long _appendedBytes;
    private long _commits;
    private long _liveBytes;
    private int _disposed;

    /// <summary>Creates an empty log.</summary>
    /// <param name="options">The options; null for the defaults. Copied: later changes have no effect.</param>
    /// <param name="timeProvider">The clock that timestamps records; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="InMemoryEventLogOptions.MaxRecordSizeBytes"/> is below 1.</exception>
    public InMemoryEventLog(InMemoryEventLogOptions? options = null, TimeProvider? timeProvider = null)
        : this((options ?? new InMemoryEventLogOptions()).MaxRecordSizeBytes, timeProvider)
    {
    }

    /// <summary>Creates an empty log with the given record size limit.</summary>
    /// <param name="maxRecordSizeBytes">The largest payload of one event or checkpoint, in bytes (at least 1).</param>
    /// <param name="timeProvider">The clock that timestamps records; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRecordSizeBytes"/> is below 1.</exception>
    public InMemoryEventLog(int maxRecordSizeBytes, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecordSizeBytes, 1);
        MaxRecordSizeBytes = maxRecordSizeBytes;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The largest payload of one event or checkpoint this log accepts, in bytes.</summary>
    public int MaxRecordSizeBytes { get; }

    /// <inheritdoc />
    /// <remarks>The LSN of the last record stored; 0 when the log is empty.</remarks>
    public long WrittenLsn => Volatile.Read(ref _lastLsn);

    /// <inheritdoc />
    /// <remarks>Always equal to <see cref="WrittenLsn"/>: the in-memory log has no slower stable storage.</remarks>
    public long DurableLsn => Volatile.Read(ref _lastLsn);

    /// <inheritdoc />
    /// <remarks>Completes synchronously; a cancelled token yields a cancelled task and stores nothing.</remarks>
    public ValueTask<AppendResult> AppendAsync(
        string streamId,
        long expectedVersion,
        IReadOnlyList<ReadOnlyMemory<byte>> events,
        CancellationToken cancellationToken = default)
    {
        try
        {
            ThrowIfDisposed();
            StreamId.Validate(streamId);
            ValidateExpectedVersion(expectedVersion);
            ArgumentNullException.ThrowIfNull(events);
            if (events.Count == 0)
            {
                throw new ArgumentException("A batch must contain at least one event. Nothing was written.", nameof(events));
            }

            var copies = new ReadOnlyMemory<byte>[events.Count];
            for (int i = 0; i < copies.Length; i++)
            {
                ReadOnlyMemory<byte> payload = events[i];
                if (payload.Length > MaxRecordSizeBytes)
                {
                    throw new RecordTooLargeException(streamId, $"event {i} of the batch", payload.Length, MaxRecordSizeBytes, "the maximum record size");
                }

                copies[i] = payload.ToArray();
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<AppendResult>(cancellationToken);
            }

            return ValueTask.FromResult(Append(streamId, expectedVersion, copies));
        }
        catch (Exception ex) when (ex is ArgumentException or RequestRejectedException or ObjectDisposedException or StreamVersionConflictException)
        {
            return ValueTask.FromException<AppendResult>(ex);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// After a deletion the stream starts again: a checkpoint must cover a version above the one at which the
    /// stream was deleted, so a deleted stream with no later event cannot be checkpointed.
    /// </remarks>
    public ValueTask<CheckpointResult> WriteCheckpointAsync(
        string streamId,
        long version,
        ReadOnlyMemory<byte> state,
        CancellationToken cancellationToken = default)
    {
        try
        {
            ThrowIfDisposed();
            StreamId.Validate(streamId);
            if (version < 1)
            {
                throw new CheckpointVersionOutOfRangeException(streamId, version, 1, long.MaxValue, "a checkpoint covers at least version 1");
            }

            if (state.Length > MaxRecordSizeBytes)
            {
                throw new RecordTooLargeException(streamId, "the checkpoint", state.Length, MaxRecordSizeBytes, "the maximum record size");
            }

            ReadOnlyMemory<byte> copy = state.ToArray();
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<CheckpointResult>(cancellationToken);
            }

            return ValueTask.FromResult(WriteCheckpoint(streamId, version, copy));
        }
        catch (Exception ex) when (ex is ArgumentException or RequestRejectedException or ObjectDisposedException)
        {
            return ValueTask.FromException<CheckpointResult>(ex);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Deleting a stream that was never written (expecting version 0 or <see cref="ExpectedVersion.Any"/>) stores a
    /// tombstone at version 0; deleting a deleted stream stores another tombstone and changes nothing visible.
    /// </remarks>
    public ValueTask<AppendResult> DeleteStreamAsync(
        string streamId,
        long expectedVersion,
        CancellationToken cancellationToken = default)
    {
        try
        {
            ThrowIfDisposed();
            StreamId.Validate(streamId);
            ValidateExpectedVersion(expectedVersion);
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<AppendResult>(cancellationToken);
            }

            return ValueTask.FromResult(Delete(streamId, expectedVersion));
        }
        catch (Exception ex) when (ex is ArgumentException or RequestRejectedException or ObjectDisposedException or StreamVersionConflictException)
        {
            return ValueTask.FromException<AppendResult>(ex);
        }
    }

    /// <inheritdoc />
    public StreamInfo GetStreamInfo(string streamId)
    {
        ThrowIfDisposed();
        StreamId.Validate(streamId);
        lock (_lock)
        {
            ThrowIfDisposed();
            return _streams.TryGetValue(streamId, out var stream) ? stream.Info : StreamInfo.Empty;
        }
    }

    /// <inheritdoc />
    /// <remarks>Does nothing but check that the log is not disposed: memory has no slower storage to flush to.</remarks>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return ValueTask.FromException(new ObjectDisposedException(nameof(InMemoryEventLog)));
        }

        return cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Byte counts are payload bytes (events and checkpoint states). There are no segments, fsyncs, compactions or
    /// recovery; <see cref="LogStatistics.Commits"/> counts stored appends, checkpoints and deletions.
    /// </remarks>
    public LogStatistics GetStatistics()
    {
        ThrowIfDisposed();
        lock (_lock)
        {
            ThrowIfDisposed();
            return new LogStatistics
            {
                StreamCount = _streams.Count,
                TotalBytes = _appendedBytes,
                LiveBytes = _liveBytes,
                AppendedRecords = _appendedRecords,
                AppendedBytes = _appendedBytes,
                Commits = _commits,
                WrittenLsn = _lastLsn,
                DurableLsn = _lastLsn,
            };
        }
    }

    /// <summary>Releases every stream. Later calls of any member throw <see cref="ObjectDisposedException"/>. Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            lock (_lock)
            {
                _streams.Clear();
                _changes.Clear();
                SignalCommitted();
            }
        }

        return ValueTask.CompletedTask;
    }

    private static void ValidateExpectedVersion(long expectedVersion)
    {
        if (expectedVersion < ExpectedVersion.Any)
        {
            throw new ArgumentOutOfRangeException(
                nameof(expectedVersion),
                expectedVersion,
                "The expected version must be a stream version (0 or more) or ExpectedVersion.Any (-1).");
        }
    }

    private static void CheckExpectedVersion(string streamId, long expectedVersion, long actualVersion)
    {
        if (expectedVersion != ExpectedVersion.Any && expectedVersion != actualVersion)
        {
            throw new StreamVersionConflictException(streamId, expectedVersion, actualVersion);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
