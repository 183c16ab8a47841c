namespace Actors.Wal;

/// <summary>The locked write and read paths of <see cref="InMemoryEventLog"/> (arguments are already validated).</summary>
public sealed partial class InMemoryEventLog
{
    /// <inheritdoc />
    public ValueTask<StreamReadResult> ReadStreamAsync(
        string streamId,
        ReadBound bound = default,
        CancellationToken cancellationToken = default)
    {
        try
        {
            ThrowIfDisposed();
            StreamId.Validate(streamId);
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<StreamReadResult>(cancellationToken);
            }

            lock (_lock)
            {
                ThrowIfDisposed();
                var result = _streams.TryGetValue(streamId, out var stream)
                    ? stream.Read(streamId, bound)
                    : new StreamReadResult(streamId, null, [], 0, IsDeleted: false);
                return ValueTask.FromResult(result);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or RequestRejectedException or ObjectDisposedException)
        {
            return ValueTask.FromException<StreamReadResult>(ex);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// <paramref name="fromVersion"/> must be at least 1. The range is clamped to the stream's current version, so
    /// <see cref="long.MaxValue"/> reads to the end; an empty range (or an unknown stream) yields no event. Events
    /// below the latest checkpoint and events of deleted streams are returned too: nothing is reclaimed.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromVersion"/> is below 1.</exception>
    public ValueTask<IReadOnlyList<StoredEvent>> ReadEventsAsync(
        string streamId,
        long fromVersion,
        long toVersion,
        CancellationToken cancellationToken = default)
    {
        try
        {
            ThrowIfDisposed();
            StreamId.Validate(streamId);
            ArgumentOutOfRangeException.ThrowIfLessThan(fromVersion, 1);
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<IReadOnlyList<StoredEvent>>(cancellationToken);
            }

            lock (_lock)
            {
                ThrowIfDisposed();
                IReadOnlyList<StoredEvent> events = _streams.TryGetValue(streamId, out var stream)
                    ? stream.ReadEvents(streamId, fromVersion, toVersion)
                    : [];
                return ValueTask.FromResult(events);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or RequestRejectedException or ObjectDisposedException or EventsReclaimedException)
        {
            return ValueTask.FromException<IReadOnlyList<StoredEvent>>(ex);
        }
    }

    /// <inheritdoc />
    /// <remarks>Reads one event at a time under the lock (the store holds every event in memory anyway), so an erase or a
    /// deletion is seen at the next event.</remarks>
    public IAsyncEnumerable<StoredEvent> ReadStreamEventsAsync(string streamId, long fromVersion = 1, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return Reading.EventPages.Read(this, streamId, fromVersion, pageSize: 1, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The payloads of the erased events are dropped at once (<see cref="EraseResult.SegmentsToCompact"/> is empty).</remarks>
    public ValueTask<EraseResult> DeleteEventsToAsync(string streamId, long toVersion, CancellationToken cancellationToken = default)
    {
        try
        {
            ThrowIfDisposed();
            StreamId.Validate(streamId);
            ArgumentOutOfRangeException.ThrowIfLessThan(toVersion, 1);
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<EraseResult>(cancellationToken);
            }

            lock (_lock)
            {
                ThrowIfDisposed();
                if (!_streams.TryGetValue(streamId, out var stream))
                {
                    throw new ArgumentOutOfRangeException(nameof(toVersion), toVersion, $"Stream '{streamId}' has no events to erase.");
                }

                ArgumentOutOfRangeException.ThrowIfGreaterThan(toVersion, stream.Version);
                long erased = stream.EraseTo(toVersion);
                EraseChanges(streamId, toVersion);
                return ValueTask.FromResult(new EraseResult(streamId, toVersion, erased, []));
            }
        }
        catch (Exception ex) when (ex is ArgumentException or ObjectDisposedException)
        {
            return ValueTask.FromException<EraseResult>(ex);
        }
    }

    /// <inheritdoc />
    /// <remarks>The deleted checkpoints are forgotten at once (and leave the change feed).</remarks>
    public ValueTask<CheckpointDeletionResult> DeleteCheckpointsAsync(string streamId, CheckpointSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        try
        {
            ThrowIfDisposed();
            StreamId.Validate(streamId);
            ArgumentNullException.ThrowIfNull(criteria);
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<CheckpointDeletionResult>(cancellationToken);
            }

            lock (_lock)
            {
                ThrowIfDisposed();
                if (!_streams.TryGetValue(streamId, out var stream))
                {
                    return ValueTask.FromResult(new CheckpointDeletionResult(streamId, [], []));
                }

                var deleted = stream.DeleteCheckpoints(criteria, out string? rejection)
                    ?? throw new CheckpointDeletionRejectedException(streamId, criteria, rejection!);
                DeleteCheckpointChanges(streamId, deleted);
                return ValueTask.FromResult(new CheckpointDeletionResult(streamId, deleted, []));
            }
        }
        catch (Exception ex) when (ex is ArgumentException or ObjectDisposedException or CheckpointDeletionRejectedException)
        {
            return ValueTask.FromException<CheckpointDeletionResult>(ex);
        }
    }

    private AppendResult Append(string streamId, long expectedVersion, ReadOnlyMemory<byte>[] payloads)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            var stream = GetForWrite(streamId, expectedVersion, out long version);

            long liveBefore = stream.LiveBytes;
            DateTimeOffset timestamp = NextTimestamp();
            long lsn = _lastLsn;
            long bytes = 0;
            foreach (var payload in payloads)
            {
                stream.Add(new StoredEvent(++version, ++lsn, timestamp, payload));
                AddChange(LogChangeKind.Event, streamId, version, lsn, timestamp, payload);
                bytes += payload.Length;
            }

            Committed(lsn, payloads.Length, bytes, stream.LiveBytes - liveBefore);
            return new AppendResult(version - payloads.Length + 1, version, lsn);
        }
    }

    private CheckpointResult WriteCheckpoint(string streamId, long version, ReadOnlyMemory<byte> state)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            _streams.TryGetValue(streamId, out var stream);
            long current = stream?.Version ?? 0;
            if (stream is null || version > current)
            {
                throw new CheckpointVersionOutOfRangeException(streamId, version, Math.Min(1, current), current, $"the stream is at version {current}");
            }

            long minimum = stream.MinimumCheckpointVersion;
            if (version < minimum)
            {
                string reason = stream.LiveCheckpoint is { } latest && latest.Version == minimum
                    ? $"its latest checkpoint covers version {latest.Version}"
                    : $"it was deleted at version {minimum - 1}";
                throw new CheckpointVersionOutOfRangeException(streamId, version, minimum, current, reason);
            }

            long liveBefore = stream.LiveBytes;
            long lsn = _lastLsn + 1;
            DateTimeOffset timestamp = NextTimestamp();
            stream.Add(new StoredCheckpoint(version, lsn, timestamp, state));
            AddChange(LogChangeKind.Checkpoint, streamId, version, lsn, timestamp, state);
            Committed(lsn, 1, state.Length, stream.LiveBytes - liveBefore);
            return new CheckpointResult(version, lsn);
        }
    }

    /// <summary>Checks the expected version and returns the stream, creating it when new. Call under the lock.</summary>
    private InMemoryStream GetForWrite(string streamId, long expectedVersion, out long version)
    {
        _streams.TryGetValue(streamId, out var stream);
        version = stream?.Version ?? 0;
        CheckExpectedVersion(streamId, expectedVersion, version);
        if (stream is null)
        {
            stream = new InMemoryStream();
            _streams.Add(streamId, stream);
        }

        return stream;
    }

    private AppendResult Delete(string streamId, long expectedVersion)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            var stream = GetForWrite(streamId, expectedVersion, out long version);

            long liveBefore = stream.LiveBytes;
            long lsn = _lastLsn + 1;
            DateTimeOffset timestamp = NextTimestamp();
            stream.Add(new InMemoryTombstone(version, lsn, timestamp));
            AddChange(LogChangeKind.Tombstone, streamId, version, lsn, timestamp, ReadOnlyMemory<byte>.Empty);
            Committed(lsn, 1, 0, stream.LiveBytes - liveBefore);
            return new AppendResult(version, version, lsn);
        }
    }

    /// <summary>The clock's time in UTC, never earlier than the previous record's. Call under the lock.</summary>
    private DateTimeOffset NextTimestamp()
    {
        DateTimeOffset now = _timeProvider.GetUtcNow().ToUniversalTime();
        if (now < _lastTimestamp)
        {
            now = _lastTimestamp;
        }

        _lastTimestamp = now;
        return now;
    }

    /// <summary>Publishes a stored change. Call under the lock.</summary>
    private void Committed(long lastLsn, int records, long bytes, long liveDelta)
    {
        _appendedRecords += records;
        _appendedBytes += bytes;
        _liveBytes += liveDelta;
        _commits++;
        Volatile.Write(ref _lastLsn, lastLsn);
        SignalCommitted();
    }
}
