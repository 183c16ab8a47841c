using System.Runtime.CompilerServices;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Writing;

namespace Actors.Wal;

// The write requests behind AppendAsync, WriteCheckpointAsync and DeleteStreamAsync: checked and filled on the caller's
// stack, then queued one by one or as a WriteBatch (methods only: the state is in WriteAheadLog.cs).
public sealed partial class WriteAheadLog
{
    /// <summary>Creates an empty batch of writes for this log (<see cref="WriteBatch"/>: one owner thread).</summary>
    internal WriteBatch CreateWriteBatch() => new(this);

    /// <summary>
    /// Checks an append's arguments and fills a pooled request for it (not queued: the caller queues or discards it).
    /// </summary>
    /// <exception cref="ArgumentException">No events, or a bad stream id or expected version.</exception>
    /// <exception cref="RecordTooLargeException">An event, or the framed batch, is too large.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit] // the id's stack buffer (1 KiB) is read only where StreamId.Encode wrote it: not zeroed per append
    internal StreamWriteRequest NewAppendRequest(string streamId, long expectedVersion, IReadOnlyList<ReadOnlyMemory<byte>> events)
    {
        Span<byte> id = stackalloc byte[StreamId.MaxByteLength];
        int idLength = StreamId.Encode(streamId, id);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedVersion, ExpectedVersion.Any);
        if (events.Count == 0)
        {
            throw new ArgumentException("An append needs at least one event.", nameof(events));
        }

        long framed = RecordHeader.Size + idLength;
        for (int i = 0; i < events.Count; i++)
        {
            int length = events[i].Length;
            if (length > _options.MaxRecordSizeBytes)
            {
                throw new RecordTooLargeException(streamId, $"event {i} of the batch", length, _options.MaxRecordSizeBytes, nameof(WriteAheadLogOptions.MaxRecordSizeBytes));
            }

            framed += 4 + Encryption.PayloadCipher.StoredLength(_cipher, length);
        }

        ThrowIfTooLarge(streamId, "the framed batch", framed);
        var request = _pool.Rent();
        request.InitAppend(streamId, StreamHash.Compute(id[..idLength]), idLength, expectedVersion, events, (int)framed);
        return request;
    }

    /// <summary>Checks a checkpoint's arguments and fills a pooled request for it (not queued).</summary>
    /// <exception cref="CheckpointVersionOutOfRangeException"><paramref name="version"/> is below 1.</exception>
    /// <exception cref="RecordTooLargeException">The state, or the framed checkpoint, is too large.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    internal StreamWriteRequest NewCheckpointRequest(string streamId, long version, ReadOnlyMemory<byte> state)
    {
        Span<byte> id = stackalloc byte[StreamId.MaxByteLength];
        int idLength = StreamId.Encode(streamId, id);
        if (version < 1)
        {
            throw new CheckpointVersionOutOfRangeException(streamId, version, 1, long.MaxValue, "a checkpoint covers at least version 1");
        }

        if (state.Length > _options.MaxRecordSizeBytes)
        {
            throw new RecordTooLargeException(streamId, "the checkpoint", state.Length, _options.MaxRecordSizeBytes, nameof(WriteAheadLogOptions.MaxRecordSizeBytes));
        }

        long framed = RecordCodec.CheckpointSize(idLength, state.Length, _cipher);
        ThrowIfTooLarge(streamId, "the framed checkpoint", framed);
        var request = _pool.Rent();
        request.InitCheckpoint(streamId, StreamHash.Compute(id[..idLength]), idLength, version, state, (int)framed);
        return request;
    }

    /// <summary>Checks a stream deletion's arguments and fills a pooled request for it (not queued).</summary>
    /// <exception cref="ArgumentException">A bad stream id or expected version.</exception>
    [SkipLocalsInit]
    internal StreamWriteRequest NewDeleteRequest(string streamId, long expectedVersion)
    {
        Span<byte> id = stackalloc byte[StreamId.MaxByteLength];
        int idLength = StreamId.Encode(streamId, id);
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedVersion, ExpectedVersion.Any);
        var request = _pool.Rent();
        request.InitDelete(streamId, StreamHash.Compute(id[..idLength]), idLength, expectedVersion, RecordCodec.TombstoneSize(idLength));
        return request;
    }

    /// <summary>
    /// Queues <paramref name="requests"/> in order and drains once (<see cref="LogWriter.TryEnqueueAll"/>), so they are
    /// framed together: one group, and one commit when <see cref="WriteAheadLogOptions.CommitOnCallingThread"/> (unless
    /// <see cref="WriteAheadLogOptions.MaxBatchBytes"/>, a rotation or another thread's drain splits them). The requests
    /// the log cannot take (closed, read-only, failed) complete with the error each would have met alone, as faulted tasks.
    /// </summary>
    internal void EnqueueAll(List<StreamWriteRequest> requests)
    {
        int queued = TryGetWriter(out LogWriter? writer, out _) ? writer.TryEnqueueAll(requests) : 0;
        for (int i = queued; i < requests.Count; i++)
        {
            var request = requests[i];
            request.Fail(TryGetWriter(out _, out Exception? unavailable) ? new ObjectDisposedException(GetType().FullName) : unavailable);
            request.ReleaseByPipeline(); // never queued: the caller's await still holds it
        }
    }

    /// <summary>
    /// Queues <paramref name="request"/> unless the log cannot take writes (<paramref name="refused"/>: why) or the caller
    /// cancelled (<paramref name="refused"/> null); a refused request is recycled. Throws, having recycled it, when the
    /// writer closed between the check and the queueing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryEnqueue(StreamWriteRequest request, CancellationToken cancellationToken, out Exception? refused)
    {
        if (!TryGetWriter(out LogWriter? writer, out refused) || cancellationToken.IsCancellationRequested)
        {
            request.Discard();
            return false;
        }

        if (!writer.TryEnqueue(request))
        {
            request.Discard();
            ThrowIfClosed();
            throw new ObjectDisposedException(nameof(WriteAheadLog));
        }

        request.RegisterCancellation(cancellationToken);
        return true;
    }

    /// <summary>The task of a write <see cref="TryEnqueue"/> refused: faulted with <paramref name="refused"/>, or cancelled.</summary>
    private static ValueTask<T> Refused<T>(Exception? refused, CancellationToken cancellationToken)
        => refused is null ? ValueTask.FromCanceled<T>(cancellationToken) : ValueTask.FromException<T>(refused);
}
