namespace Actors.Wal.Entries;

/// <summary>
/// Whether an entry log (or an entry journal) can still be used: not disposed, and not failed. The first I/O error
/// latches a <see cref="LogFailedException"/> that every later call throws until the log is reopened (an fsync is never
/// retried); disposal is for good.
/// </summary>
/// <remarks>
/// Not thread-safe: its owner serializes the calls (a log's owner thread, a journal's lock). The first failure stays in
/// force: <see cref="Fail(LogFailedException)"/> after it keeps it and returns it.
/// </remarks>
/// <param name="directory">The owner's directory, named by the failures.</param>
/// <param name="ownerType">The owner's type, named by <see cref="ObjectDisposedException"/>.</param>
/// <param name="onFailed">Called with the failure in force on every <see cref="Fail(LogFailedException)"/> (a journal faults its waiters), or null.</param>
internal sealed class LogUsability(string directory, Type ownerType, Action<LogFailedException>? onFailed = null)
{
    /// <summary>Why the owner failed, or null while it has not.</summary>
    public LogFailedException? Failure { get; private set; }

    /// <summary>Whether the owner was disposed.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Marks the owner disposed; false when it was already (the caller then has nothing to release).</summary>
    public bool TryMarkDisposed()
    {
        if (IsDisposed)
        {
            return false;
        }

        IsDisposed = true;
        return true;
    }

    /// <exception cref="ObjectDisposedException">The owner was disposed.</exception>
    public void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, ownerType);

    /// <exception cref="ObjectDisposedException">The owner was disposed.</exception>
    /// <exception cref="LogFailedException">The owner failed.</exception>
    public void ThrowIfUnusable()
    {
        ThrowIfDisposed();
        if (Failure is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Fails the owner with <paramref name="failure"/> unless it failed already; returns the failure in force, for the caller to throw.</summary>
    public LogFailedException Fail(LogFailedException failure)
    {
        Failure ??= failure;
        onFailed?.Invoke(Failure);
        return Failure;
    }

    /// <summary>Fails the owner with a <see cref="LogFailedException"/> naming <paramref name="operation"/> and its <paramref name="cause"/>, unless it failed already; returns the failure in force.</summary>
    public LogFailedException Fail(string operation, Exception cause) => Fail(Failure ?? new LogFailedException(directory, operation, cause));

    /// <summary>Runs <paramref name="action"/>: an <see cref="IOException"/> it throws fails the owner (<see cref="Fail(string, Exception)"/>), and the failure is thrown instead.</summary>
    /// <exception cref="LogFailedException">The action threw an <see cref="IOException"/>.</exception>
    public void Guard(string operation, Action action)
    {
        try
        {
            action();
        }
        catch (IOException exception)
        {
            throw Fail(operation, exception);
        }
    }
}
