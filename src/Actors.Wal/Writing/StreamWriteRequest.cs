using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Actors.Wal.Format;

namespace Actors.Wal.Writing;

/// <summary>
/// An append, checkpoint or delete: the hot-path request, pooled and awaited through <see cref="IValueTaskSource{T}"/>
/// so an append allocates nothing.
/// </summary>
/// <remarks>
/// Ownership: the caller fills the request fields and enqueues it; the writer sets the pipeline fields while framing;
/// the committer applies and completes it. Two owners hold a pooled request (the caller, until it read the result, and
/// the pipeline, until the committer is done with it); the last to let go returns it to the pool. A cancellation
/// before the writer took the request withdraws it (nothing is written); after that, it ends the caller's wait once
/// framing is done, and the record may still be stored.
/// </remarks>
internal sealed class StreamWriteRequest : LogRequest, IValueTaskSource<AppendResult>, IValueTaskSource<CheckpointResult>
{
    private static readonly Action<object?> CancelCallback = static state => ((StreamWriteRequest)state!).OnCancellation();
    private readonly RequestPool _pool;
    private ManualResetValueTaskSourceCore<AppendResult> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _registration;
    private CancellationToken _token;
    private RequestKind _kind;
    private int _owners;

    /// <summary>Creates a request owned by <paramref name="pool"/>.</summary>
    public StreamWriteRequest(RequestPool pool)
    {
        _pool = pool;
    }

    /// <inheritdoc />
    public override RequestKind Kind => _kind;

    /// <inheritdoc />
    public override int FramedBytes => Framed;

    // Caller-filled.

    /// <summary>The stream id.</summary>
    public string StreamId { get; private set; } = "";

    /// <summary>The stream id's hash (computed once, by the caller).</summary>
    public ulong Hash { get; private set; }

    /// <summary>The stream id's length in UTF-8 bytes.</summary>
    public int IdByteCount { get; private set; }

    /// <summary>Append and delete: the expected version (or <see cref="ExpectedVersion.Any"/>); checkpoint: the covered version.</summary>
    public long Version { get; private set; }

    /// <summary>Append: the payloads (the caller's buffers, read while framing).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>>? Events { get; private set; }

    /// <summary>Checkpoint: the state (the caller's buffer, read while framing).</summary>
    public ReadOnlyMemory<byte> State { get; private set; }

    /// <summary>The framed record length (the writer adds the anchor and span positions' bytes: <see cref="AddTrailerBytes"/>).</summary>
    public int Framed { get; private set; }

    /// <summary>Counts the <paramref name="bytes"/> of anchor and span positions the writer frames at the record's end in <see cref="Framed"/>.</summary>
    public void AddTrailerBytes(int bytes) => Framed += bytes;

    // Writer-filled (pipeline fields).

    /// <summary>
    /// The stream's published index entry (set while framing; the committer applies the record to it). The request
    /// carries it rather than the writer's <see cref="WriterStream"/>, which the committer would otherwise read only to
    /// find it: one cache line fewer brought over from the framing core per append.
    /// </summary>
    public Index.HotStream? Hot { get; set; }

    /// <summary>The record written.</summary>
    public RecordType RecordType { get; set; }

    /// <summary>The record's position.</summary>
    public long Position { get; set; }

    /// <summary>The first version of the batch (a delete: the stream's version).</summary>
    public long FirstVersion { get; set; }

    /// <summary>The last version of the batch (a checkpoint: the covered version).</summary>
    public long LastVersion { get; set; }

    /// <summary>The LSN of the record's last item.</summary>
    public long LastLsn { get; set; }

    /// <inheritdoc />
    protected override CancellationToken CallerToken => _token;

    /// <summary>Fills the request for an append (caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void InitAppend(string streamId, ulong hash, int idByteCount, long expectedVersion, IReadOnlyList<ReadOnlyMemory<byte>> events, int framed)
    {
        Init(RequestKind.Append, streamId, hash, idByteCount, expectedVersion, framed);
        Events = events;
    }

    /// <summary>Fills the request for a checkpoint (caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void InitCheckpoint(string streamId, ulong hash, int idByteCount, long version, ReadOnlyMemory<byte> state, int framed)
    {
        Init(RequestKind.Checkpoint, streamId, hash, idByteCount, version, framed);
        State = state;
    }

    /// <summary>Fills the request for a delete (caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void InitDelete(string streamId, ulong hash, int idByteCount, long expectedVersion, int framed)
        => Init(RequestKind.Delete, streamId, hash, idByteCount, expectedVersion, framed);

    /// <summary>Registers the caller's token (after the request is queued, so a cancellation finds it there).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RegisterCancellation(CancellationToken token)
    {
        if (token.CanBeCanceled)
        {
            _token = token;
            _registration = token.UnsafeRegister(CancelCallback, this);
        }
    }

    /// <summary>The awaitable for an append or a delete.</summary>
    public ValueTask<AppendResult> AsAppendTask() => new(this, _core.Version);

    /// <summary>The awaitable for a checkpoint.</summary>
    public ValueTask<CheckpointResult> AsCheckpointTask() => new(this, _core.Version);

    /// <summary>Completes successfully (committer; once).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Complete()
    {
        if (TryComplete())
        {
            _core.SetResult(new AppendResult(FirstVersion, LastVersion, LastLsn));
        }
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void ReleaseByPipeline() => Release();

    /// <summary>Recycles a request that was never queued (the log refused it): both owners let go at once.</summary>
    public void Discard()
    {
        Release();
        Release();
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    AppendResult IValueTaskSource<AppendResult>.GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _registration.Dispose();
            Release();
        }
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    CheckpointResult IValueTaskSource<CheckpointResult>.GetResult(short token)
    {
        try
        {
            var result = _core.GetResult(token);
            return new CheckpointResult(result.LastVersion, result.LastLsn);
        }
        finally
        {
            _registration.Dispose();
            Release();
        }
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    /// <inheritdoc />
    protected override void SetException(Exception exception) => _core.SetException(exception);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Init(RequestKind kind, string streamId, ulong hash, int idByteCount, long version, int framed)
    {
        _kind = kind;
        StreamId = streamId;
        Hash = hash;
        IdByteCount = idByteCount;
        Version = version;
        Framed = framed;
        _owners = 2;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Release()
    {
        if (Interlocked.Decrement(ref _owners) != 0)
        {
            return;
        }

        // Both the caller and the pipeline are done: clear every reference and recycle.
        _registration = default;
        _token = default;
        Events = null;
        State = default;
        Hot = null;
        StreamId = "";
        ResetState();
        _core.Reset();
        _pool.Return(this);
    }
}
