using System.Text;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Writing;

namespace Actors.Wal;

public sealed partial class WriteAheadLog
{
    /// <inheritdoc />
    public ValueTask<AppendResult> AppendAsync(
        string streamId,
        long expectedVersion,
        IReadOnlyList<ReadOnlyMemory<byte>> events,
        CancellationToken cancellationToken = default)
    {
        StreamId.Validate(streamId);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedVersion, ExpectedVersion.Any);
        if (events.Count == 0)
        {
            throw new ArgumentException("An append needs at least one event.", nameof(events));
        }

        for (int i = 0; i < events.Count; i++)
        {
            if (events[i].Length > _options.MaxRecordSizeBytes)
            {
                throw new RecordTooLargeException(streamId, $"event {i} of the batch", events[i].Length, _options.MaxRecordSizeBytes, nameof(WriteAheadLogOptions.MaxRecordSizeBytes));
            }
        }

        byte[] id = Encoding.UTF8.GetBytes(streamId);
        long framed = RecordCodec.EventsSize(id.Length, events);
        ThrowIfTooLarge(streamId, "the framed batch", framed);
        ThrowIfNotWritable();
        var request = new AppendRequest(streamId, id, StreamHash.Compute(id), (int)framed, expectedVersion, events);
        return Enqueue(request, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<CheckpointResult> WriteCheckpointAsync(
        string streamId,
        long version,
        ReadOnlyMemory<byte> state,
        CancellationToken cancellationToken = default)
    {
        StreamId.Validate(streamId);
        if (version < 1)
        {
            throw new CheckpointVersionOutOfRangeException(streamId, version, 1, long.MaxValue, "a checkpoint covers at least version 1");
        }

        if (state.Length > _options.MaxRecordSizeBytes)
        {
            throw new RecordTooLargeException(streamId, "the checkpoint", state.Length, _options.MaxRecordSizeBytes, nameof(WriteAheadLogOptions.MaxRecordSizeBytes));
        }

        byte[] id = Encoding.UTF8.GetBytes(streamId);
        long framed = RecordCodec.CheckpointSize(id.Length, state.Length);
        ThrowIfTooLarge(streamId, "the framed checkpoint", framed);
        ThrowIfNotWritable();
        var request = new CheckpointRequest(streamId, id, StreamHash.Compute(id), (int)framed, version, state);
        return Enqueue(request, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<AppendResult> DeleteStreamAsync(string streamId, long expectedVersion, CancellationToken cancellationToken = default)
    {
        StreamId.Validate(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedVersion, ExpectedVersion.Any);
        byte[] id = Encoding.UTF8.GetBytes(streamId);
        ThrowIfNotWritable();
        var request = new DeleteRequest(streamId, id, StreamHash.Compute(id), RecordCodec.TombstoneSize(id.Length), expectedVersion);
        return Enqueue(request, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        var request = new FlushRequest();
        await Enqueue(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a space-management pass now: deletes sealed segments none of whose records is still needed (subject to
    /// retention) and copies the live records of mostly-dead segments forward. Also runs in the background after
    /// each segment rotation.
    /// </summary>
    /// <returns>What was reclaimed.</returns>
    public ValueTask<CompactionResult> CompactAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        return Enqueue(new SpaceRequest(), cancellationToken);
    }

    private ValueTask<T> Enqueue<T>(WriteRequest<T> request, CancellationToken cancellationToken)
    {
        // Already cancelled at the call: nothing is enqueued, so nothing can be written (a cancellation that
        // arrives later only stops the wait: the request may still be written).
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }

        if (!TryQueue(request))
        {
            ThrowIfClosed();
            throw new ObjectDisposedException(nameof(WriteAheadLog));
        }

        return cancellationToken.CanBeCanceled
            ? new ValueTask<T>(request.Task.WaitAsync(cancellationToken))
            : new ValueTask<T>(request.Task);
    }

    private bool TryQueue(WriteRequest request)
    {
        Interlocked.Increment(ref _pendingRequests);
        if (_queue.Writer.TryWrite(request))
        {
            return true;
        }

        Interlocked.Decrement(ref _pendingRequests);
        return false;
    }

    private void ThrowIfTooLarge(string streamId, string what, long framed)
    {
        if (framed > _maxRecordLength || framed > int.MaxValue)
        {
            throw new RecordTooLargeException(streamId, what, framed, Math.Min(_maxRecordLength, int.MaxValue), "what one segment can hold");
        }
    }

    private void ThrowIfNotWritable()
    {
        ThrowIfClosed();
        if (_options.ReadOnly)
        {
            throw new LogReadOnlyException(_options.Directory);
        }

        if (Volatile.Read(ref _failure) is not null)
        {
            throw NewFailure();
        }
    }
}
