namespace Actors.Wal.Writing;

/// <summary>Something queued for the single writer loop.</summary>
internal abstract class WriteRequest
{
    /// <summary>Bytes this request adds to a group commit (for the batching policy).</summary>
    public virtual int FramedBytes => 0;

    /// <summary>Completes the request with an error.</summary>
    public abstract void Fail(Exception exception);
}

/// <summary>A request whose caller awaits a result.</summary>
internal abstract class WriteRequest<T> : WriteRequest
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The caller's task.</summary>
    public Task<T> Task => _completion.Task;

    /// <summary>Completes successfully.</summary>
    public void Complete(T result) => _completion.TrySetResult(result);

    /// <inheritdoc />
    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}

/// <summary>A write of one stream record (events, checkpoint or tombstone).</summary>
internal abstract class StreamWriteRequest<T> : WriteRequest<T>
{
    /// <summary>Creates the request.</summary>
    protected StreamWriteRequest(string streamId, byte[] streamIdUtf8, ulong hash, int framedBytes)
    {
        StreamId = streamId;
        StreamIdUtf8 = streamIdUtf8;
        Hash = hash;
        Framed = framedBytes;
    }

    /// <summary>The stream id.</summary>
    public string StreamId { get; }

    /// <summary>The stream id's UTF-8 bytes.</summary>
    public byte[] StreamIdUtf8 { get; }

    /// <summary>The stream id hash.</summary>
    public ulong Hash { get; }

    /// <summary>The framed record length.</summary>
    public int Framed { get; }

    /// <inheritdoc />
    public override int FramedBytes => Framed;
}

/// <summary>An append batch.</summary>
internal sealed class AppendRequest(string streamId, byte[] streamIdUtf8, ulong hash, int framedBytes, long expectedVersion, IReadOnlyList<ReadOnlyMemory<byte>> events)
    : StreamWriteRequest<AppendResult>(streamId, streamIdUtf8, hash, framedBytes)
{
    /// <summary>The expected version or <see cref="ExpectedVersion.Any"/>.</summary>
    public long ExpectedVersion { get; } = expectedVersion;

    /// <summary>The payloads (owned by the caller until completion).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Events { get; } = events;
}

/// <summary>A checkpoint write.</summary>
internal sealed class CheckpointRequest(string streamId, byte[] streamIdUtf8, ulong hash, int framedBytes, long version, ReadOnlyMemory<byte> state)
    : StreamWriteRequest<CheckpointResult>(streamId, streamIdUtf8, hash, framedBytes)
{
    /// <summary>The covered version.</summary>
    public long Version { get; } = version;

    /// <summary>The snapshot bytes.</summary>
    public ReadOnlyMemory<byte> State { get; } = state;
}

/// <summary>A delete (tombstone).</summary>
internal sealed class DeleteRequest(string streamId, byte[] streamIdUtf8, ulong hash, int framedBytes, long expectedVersion)
    : StreamWriteRequest<AppendResult>(streamId, streamIdUtf8, hash, framedBytes)
{
    /// <summary>The expected version or <see cref="ExpectedVersion.Any"/>.</summary>
    public long ExpectedVersion { get; } = expectedVersion;
}

/// <summary>A request to fsync everything written (FlushAsync, the Interval timer).</summary>
internal sealed class FlushRequest : WriteRequest<bool>
{
}

/// <summary>A space-management pass (delete dead segments, compact mostly-dead ones).</summary>
internal sealed class SpaceRequest : WriteRequest<CompactionResult>
{
}
