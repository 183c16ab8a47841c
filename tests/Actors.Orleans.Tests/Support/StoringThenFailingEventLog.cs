using System.Reflection;
using Actors.Wal;

namespace Actors.Orleans.Tests.Support;

/// <summary>
/// An <see cref="IEventLog"/> that forwards every call to the silo's log, except that append number
/// <see cref="FailAppendNumber"/> (counted from 1) on a stream starting with <see cref="StreamPrefix"/> is STORED and then
/// reported as failed with an outcome-unknown error: an I/O error after the bytes were durable, or a replicated append
/// whose commit was not confirmed. Reads are served normally, so a refresh sees the stored records.
/// </summary>
public class StoringThenFailingEventLog : DispatchProxy
{
    private IEventLog _inner = null!;
    private int _appends;
    private long _storedLastVersion = -1;

    public string StreamPrefix { get; private set; } = "";

    public int FailAppendNumber { get; private set; }

    /// <summary>Matching appends seen so far (the one stored then failed included).</summary>
    public int Appends => Volatile.Read(ref _appends);

    public static StoringThenFailingEventLog Wrap(IEventLog inner, string streamPrefix, int failAppendNumber)
    {
        IEventLog wrapped = Create<IEventLog, StoringThenFailingEventLog>();
        var proxy = (StoringThenFailingEventLog)(object)wrapped;
        proxy._inner = inner;
        proxy.StreamPrefix = streamPrefix;
        proxy.FailAppendNumber = failAppendNumber;
        return proxy;
    }

    /// <summary>The stream version after the append that was stored then failed, or -1 before it.</summary>
    public long StoredLastVersion => Interlocked.Read(ref _storedLastVersion);

    /// <summary>This proxy as the log's interface.</summary>
    public IEventLog AsLog => (IEventLog)(object)this;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IEventLog.AppendAsync) && args?[0] is string stream && stream.StartsWith(StreamPrefix, StringComparison.Ordinal)
            && Interlocked.Increment(ref _appends) == FailAppendNumber)
        {
            return StoreThenFailAsync(stream, (long)args[1]!, (IReadOnlyList<ReadOnlyMemory<byte>>)args[2]!);
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }

    private async ValueTask<AppendResult> StoreThenFailAsync(string stream, long expectedVersion, IReadOnlyList<ReadOnlyMemory<byte>> events)
    {
        AppendResult stored = await _inner.AppendAsync(stream, expectedVersion, events).ConfigureAwait(false);
        Interlocked.Exchange(ref _storedLastVersion, stored.LastVersion);
        throw new WriteAheadLogOperationException(
            $"Appending (injected: stored up to version {stored.LastVersion}, then failed)", stream, outcomeUnknown: true,
            new IOException($"Injected I/O error after append {FailAppendNumber} on '{stream}' was stored."));
    }
}
