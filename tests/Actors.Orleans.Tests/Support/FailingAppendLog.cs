using System.Reflection;
using Actors.Wal;

namespace Actors.Orleans.Tests.Support;

/// <summary>
/// An <see cref="IEventLog"/> that forwards every call to the silo's log, except that the append number
/// <see cref="FailAppendNumber"/> (counted from 1 over the appends to streams starting with <see cref="StreamPrefix"/>)
/// fails once with an <see cref="IOException"/> and stores nothing.
/// </summary>
public class FailingAppendLog : DispatchProxy
{
    private IEventLog _inner = null!;
    private int _appends;

    public string StreamPrefix { get; private set; } = "";

    public int FailAppendNumber { get; private set; }

    /// <summary>Appends seen so far to matching streams (the failed one included).</summary>
    public int Appends => Volatile.Read(ref _appends);

    public static IEventLog Wrap(IEventLog inner, string streamPrefix, int failAppendNumber, out FailingAppendLog proxy)
    {
        IEventLog wrapped = Create<IEventLog, FailingAppendLog>();
        proxy = (FailingAppendLog)(object)wrapped;
        proxy._inner = inner;
        proxy.StreamPrefix = streamPrefix;
        proxy.FailAppendNumber = failAppendNumber;
        return wrapped;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IEventLog.AppendAsync) && args?[0] is string stream && stream.StartsWith(StreamPrefix, StringComparison.Ordinal)
            && Interlocked.Increment(ref _appends) == FailAppendNumber)
        {
            return ValueTask.FromException<AppendResult>(new IOException($"Injected failure of append {FailAppendNumber} to '{stream}' (nothing stored)."));
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
}
