using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Writing;

namespace Actors.Wal;

public sealed partial class WriteAheadLog
{
    /// <inheritdoc />
    /// <remarks>
    /// Allocation-free in steady state: the request is pooled and awaited through <see cref="System.Threading.Tasks.Sources.IValueTaskSource{TResult}"/>,
    /// the stream id is validated, encoded and hashed once on the caller's stack, and a cancellation token only
    /// registers a callback (no extra task).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ValueTask<AppendResult> AppendAsync(
        string streamId,
        long expectedVersion,
        IReadOnlyList<ReadOnlyMemory<byte>> events,
        CancellationToken cancellationToken = default)
    {
        var request = NewAppendRequest(streamId, expectedVersion, events);
        return TryEnqueue(request, cancellationToken, out var refused) ? request.AsAppendTask() : Refused<AppendResult>(refused, cancellationToken);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ValueTask<CheckpointResult> WriteCheckpointAsync(
        string streamId,
        long version,
        ReadOnlyMemory<byte> state,
        CancellationToken cancellationToken = default)
    {
        var request = NewCheckpointRequest(streamId, version, state);
        return TryEnqueue(request, cancellationToken, out var refused) ? request.AsCheckpointTask() : Refused<CheckpointResult>(refused, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<AppendResult> DeleteStreamAsync(string streamId, long expectedVersion, CancellationToken cancellationToken = default)
    {
        var request = NewDeleteRequest(streamId, expectedVersion);
        return TryEnqueue(request, cancellationToken, out var refused) ? request.AsAppendTask() : Refused<AppendResult>(refused, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        var writer = WriterOrThrow();
        cancellationToken.ThrowIfCancellationRequested();
        var request = new FlushRequest();
        if (!writer.TryEnqueue(request))
        {
            ThrowIfClosed();
            throw new ObjectDisposedException(nameof(WriteAheadLog));
        }

        await request.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a space-management pass now: deletes sealed segments none of whose records is still needed (subject to
    /// retention) and copies the live records of mostly-dead segments forward. Also runs in the background after
    /// each segment rotation. Runs on the maintenance thread, never on the append path.
    /// </summary>
    /// <remarks>
    /// The pass sees every append, checkpoint and deletion requested before the call: they are written, synced and
    /// applied first (as <see cref="FlushAsync"/> does), so a checkpoint handed to the log just before can free space.
    /// When an erase (<see cref="DeleteEventsToAsync"/>, <see cref="DeleteCheckpointsAsync"/>) left records in the active
    /// segment, that segment is sealed first (writes go on in the next one); the pass then compacts, in rounds of about
    /// <see cref="WriteAheadLogOptions.MaxBatchBytes"/>, until no segment an erase marked remains (or a round freed
    /// nothing: a stream that changed meanwhile is left for the next pass), so what the erases before the call removed
    /// is in no file of the log when it returns.
    /// </remarks>
    /// <returns>What was reclaimed.</returns>
    public async ValueTask<CompactionResult> CompactAsync(CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return await _maintenance!.CompactAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="EventsReclaimedException">A point-in-time bound reaches records that space management already deleted.</exception>
    public ValueTask<StreamReadResult> ReadStreamAsync(string streamId, ReadBound bound = default, CancellationToken cancellationToken = default)
    {
        ulong hash = Hash(streamId);
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        return _reader.ReadStreamAsync(streamId, hash, bound, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredEvent>> ReadEventsAsync(string streamId, long fromVersion, long toVersion, CancellationToken cancellationToken = default)
    {
        ulong hash = Hash(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(fromVersion, 1);
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        return toVersion < fromVersion
            ? ValueTask.FromResult<IReadOnlyList<StoredEvent>>([])
            : _reader.ReadEventsAsync(streamId, hash, fromVersion, toVersion, cancellationToken);
    }

    /// <inheritdoc />
    public StreamInfo GetStreamInfo(string streamId)
    {
        ulong hash = Hash(streamId);
        ThrowIfClosed();
        return _reader.TryGetEntry(streamId, hash, out var entry)
            ? new StreamInfo(entry.Version, entry.CheckpointVersion, entry.IsDeleted)
            : StreamInfo.Empty;
    }

    /// <summary>The live bytes as maintained and as a full recomputation finds them (tests check they agree once idle).</summary>
    internal (long Incremental, long Recomputed) CheckLiveBytes()
    {
        long incremental = _segments.Current.All.Sum(s => s.LiveBytes);
        var bySegment = new Dictionary<uint, long>();
        foreach (var entry in StreamIndex.Entries(_index.Current))
        {
            entry.ForEachRun(ref bySegment, static (ref Dictionary<uint, long> sums, uint segment, long bytes) => sums[segment] = sums.GetValueOrDefault(segment) + bytes);
        }

        long recomputed = _segments.Current.All.Sum(s => bySegment.GetValueOrDefault(s.Id));
        return (incremental, recomputed);
    }

    /// <summary>Completes once the background preparation of the next segment settled (tests that count file operations).</summary>
    internal Task WhenSpareSettledAsync() => _segments.WhenSpareSettledAsync();

    /// <summary>
    /// Completes once the background snapshots, space passes and chain consolidations requested so far have run (a
    /// rotation requests one before the append that caused it is acknowledged; the committer requests a consolidation when
    /// it publishes the record that makes a stream's chain long).
    /// </summary>
    /// <remarks>
    /// For tools, fixtures and tests that need the file layout a synchronous pass at each rotation would leave (the same
    /// files on every run, whatever the machine's load): call it after a write. One exception: a consolidation copy that
    /// lost the race with its stream's own concurrent appends is retried on a 100 ms timer once the stream is quiet, and
    /// that retry is not waited for. Work requested later is not waited for,
    /// and it makes nothing durable that <see cref="FlushAsync"/> or the sync policy does not. Completes at once when the
    /// log runs no background maintenance (opened read-only, or failed at open).
    /// </remarks>
    public Task WhenMaintenanceIdleAsync() => _maintenance?.WhenIdleAsync() ?? Task.CompletedTask;

    [SkipLocalsInit]
    private static ulong Hash(string streamId)
    {
        Span<byte> id = stackalloc byte[StreamId.MaxByteLength];
        int idLength = StreamId.Encode(streamId, id);
        return StreamHash.Compute(id[..idLength]);
    }

    private void ThrowIfTooLarge(string streamId, string what, long framed)
    {
        if (framed > _maxRecordLength || framed > int.MaxValue)
        {
            throw new RecordTooLargeException(streamId, what, framed, Math.Min(_maxRecordLength, int.MaxValue), "what one segment can hold");
        }
    }

    /// <summary>The writer, or the error a write meets now: closed, read-only, failed.</summary>
    private LogWriter WriterOrThrow()
        => TryGetWriter(out LogWriter? writer, out Exception? unavailable) ? writer : throw unavailable;

    /// <summary>
    /// The writer, or false with the error a write meets now (closed, read-only, failed). The append, checkpoint and
    /// delete calls return it as a faulted task, never throw it from the call itself: the log can fail on the writer
    /// thread between two calls, and a caller that starts several writes must see each outcome in its own task.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryGetWriter([NotNullWhen(true)] out LogWriter? writer, [NotNullWhen(false)] out Exception? unavailable)
    {
        writer = null;
        unavailable = Volatile.Read(ref _state) != StateOpen ? new ObjectDisposedException(GetType().FullName)
            : _options.ReadOnly ? new LogReadOnlyException(_options.Directory)
            : _health.IsFailed || _writer is null ? _health.NewRefusal()
            : null;
        if (unavailable is not null)
        {
            return false;
        }

        writer = _writer!;
        return true;
    }
}
