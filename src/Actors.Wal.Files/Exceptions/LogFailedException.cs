namespace Actors.Wal;

/// <summary>
/// The log hit an I/O error (a failed write or fsync, or a full disk) and is now failed and read-only. The
/// outcome of in-flight appends is unknown; fsync is never retried (a retried fsync can report success for
/// data the kernel already dropped). Reopen the log to recover from what is on disk.
/// </summary>
public sealed class LogFailedException : WalException
{
    /// <summary>Creates the exception.</summary>
    public LogFailedException(string directory, string operation, Exception? innerException)
        : this(directory, operation, innerException, refused: false)
    {
    }

    /// <summary>Creates the exception; <paramref name="refused"/> for a request the failed log refused before taking it.</summary>
    public LogFailedException(string directory, string operation, Exception? innerException, bool refused)
        : base(Describe(directory, operation, innerException) + (refused ? " This request was refused: nothing of it was written." : ""), innerException)
    {
        Directory = directory;
        Operation = operation;
        Refused = refused;
    }

    /// <summary>
    /// True when the log had already failed before it took this request, so nothing of it was written (a rejection in
    /// Akka's sense); false when the request was in flight when the log failed, or may have been (the outcome is unknown).
    /// </summary>
    public bool Refused { get; }

    /// <summary>The log directory.</summary>
    public string Directory { get; }

    /// <summary>What the log was doing when it failed (write, fsync, rotate, ...).</summary>
    public string Operation { get; }

    /// <summary>
    /// True when the failure was a full disk: the inner exception is an <see cref="IOException"/> whose HResult
    /// carries ENOSPC (28) in its low 16 bits. Failed writes and fsyncs carry the errno directly; a failed segment
    /// preallocation (which .NET reports without the errno) is mapped to ENOSPC when the free space measured right
    /// after the failure is below the requested size.
    /// </summary>
    public bool IsDiskFull => InnerException is { } inner && IsDiskFullError(inner);

    /// <summary>True when <paramref name="exception"/> is an <see cref="IOException"/> carrying ENOSPC (28) in the low 16 bits of its HResult.</summary>
    public static bool IsDiskFullError(Exception exception) => exception is IOException io && (io.HResult & 0xFFFF) == DiskFullErrno;

    private const int DiskFullErrno = 28;

    /// <summary>The message: where, during what, the I/O error, and for a full disk what happened and what helps.</summary>
    private static string Describe(string directory, string operation, Exception? innerException) =>
        innerException is not null && IsDiskFullError(innerException)
            ? $"The log in '{directory}' failed during {operation} and is read-only until reopened: {innerException.Message.TrimEnd().TrimEnd('.')}. " +
              $"No space left on the device holding '{directory}'. Records of the failed write may be partly on disk and are not retried " +
              "(after a failed write or fsync the kernel may have dropped the unsynced pages, so only recovery knows what is stored): free " +
              "space on the device and reopen the log (restart the silo); recovery keeps every acknowledged record. Preallocated segments " +
              "(WriteAheadLogOptions.PreallocateSegments, the default) meet a full disk only when a new segment is created, which the log refuses and retries instead."
            : $"The log in '{directory}' failed during {operation} and is read-only until reopened: {innerException?.Message ?? "no detail"}";
}
