using Microsoft.Extensions.Logging;

namespace Actors.Wal.Writing;

/// <summary>
/// Whether the log can still write: healthy, failed (an I/O error: read-only until reopened) or abandoned (a simulated
/// crash: nothing more is written). Shared by every component; the first failure wins and is never cleared.
/// </summary>
internal sealed partial class LogHealth(string directory, ILogger logger)
{
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LogFailedException? _failure;
    private volatile bool _abandoned;
    private LogDiskFullException? _diskFull;

    /// <summary>The first failure, or null.</summary>
    public LogFailedException? Failure => Volatile.Read(ref _failure);

    /// <summary>True once the log failed.</summary>
    public bool IsFailed => Failure is not null;

    /// <summary>Completes when the log fails (change-feed readers waiting for more stop waiting).</summary>
    public Task WhenFailed => _failed.Task;

    /// <summary>
    /// The last refusal for want of space for a new segment, while it lasts: set when a rotation is refused
    /// (<see cref="LogDiskFullException"/>), cleared by the next rotation that gets its segment. The log is healthy
    /// meanwhile (it serves reads and takes what fits the active segment).
    /// </summary>
    public LogDiskFullException? DiskFull => Volatile.Read(ref _diskFull);

    /// <summary>Notes a refused rotation (writer thread); logs the first of a run of refusals.</summary>
    public void NoteDiskFull(LogDiskFullException refusal)
    {
        if (Interlocked.Exchange(ref _diskFull, refusal) is null)
        {
            LogDiskFull(refusal.SegmentPath, refusal.SegmentSizeBytes, refusal.InnerException!);
        }
    }

    /// <summary>Clears a refusal once a rotation got its segment (writer thread); logs that writes resumed.</summary>
    public void ClearDiskFull()
    {
        if (Volatile.Read(ref _diskFull) is not null && Interlocked.Exchange(ref _diskFull, null) is { } cleared)
        {
            LogDiskFullCleared(cleared.Directory);
        }
    }

    /// <summary>True once the log was abandoned.</summary>
    public bool IsAbandoned => _abandoned;

    /// <summary>Marks the log abandoned (AbandonAsync).</summary>
    public void Abandon() => _abandoned = true;

    /// <summary>Records a failure (the first one wins) and logs it once. Any thread.</summary>
    public void EnterFailed(string operation, Exception exception)
    {
        var failure = new LogFailedException(directory, operation, exception);
        if (Interlocked.CompareExchange(ref _failure, failure, null) is null)
        {
            LogFailed(operation, exception);
            _failed.TrySetResult();
        }
    }

    /// <summary>The error for a request that meets a failed or abandoned log.</summary>
    public LogFailedException NewError()
    {
        var failure = Failure;
        return failure is not null
            ? new LogFailedException(directory, failure.Operation, failure.InnerException)
            : new LogFailedException(directory, "abandon", new IOException("The log was abandoned (simulated crash)."));
    }

    /// <summary>The error for a request refused because the log had already failed or was abandoned: nothing of it was written.</summary>
    public LogFailedException NewRefusal()
    {
        var failure = Failure;
        return failure is not null
            ? new LogFailedException(directory, failure.Operation, failure.InnerException, refused: true)
            : new LogFailedException(directory, "abandon", new IOException("The log was abandoned (simulated crash)."), refused: true);
    }

    /// <summary>Throws when the log was abandoned: no write or fsync may happen after a simulated crash.</summary>
    public void ThrowIfAbandoned()
    {
        if (_abandoned)
        {
            throw new IOException("The log was abandoned (simulated crash); nothing more is written.");
        }
    }

    [LoggerMessage(48, LogLevel.Error, "No space for a new segment ('{SegmentPath}', {SegmentSizeBytes} bytes): writes that need one are refused until there is; reads and writes that fit the active segment go on")]
    private partial void LogDiskFull(string segmentPath, long segmentSizeBytes, Exception exception);

    [LoggerMessage(49, LogLevel.Information, "The log in '{Directory}' got space for a new segment again: writes resumed")]
    private partial void LogDiskFullCleared(string directory);

    [LoggerMessage(4, LogLevel.Critical, "The log failed during {Operation} and is read-only until reopened (fsync is never retried)")]
    private partial void LogFailed(string operation, Exception exception);
}
