using System.Reflection;
using Actors.Wal;

namespace Actors.Orleans.Tests.Support;

/// <summary>
/// An <see cref="IEventLog"/> that forwards every call to the silo's log, except that call number
/// <see cref="FailCallNumber"/> (counted from 1) of the method <see cref="MethodName"/> on a stream starting with
/// <see cref="StreamPrefix"/>, and the <see cref="FailCallCount"/> - 1 calls after it, fail (with an
/// <see cref="IOException"/> unless another failure is given), doing nothing.
/// </summary>
public class FaultyEventLog : DispatchProxy
{
    private IEventLog _inner = null!;
    private Func<string, Exception>? _failure;
    private int _calls;

    public string MethodName { get; private set; } = "";

    public string StreamPrefix { get; private set; } = "";

    public int FailCallNumber { get; private set; }

    public int FailCallCount { get; private set; } = 1;

    /// <summary>Matching calls seen so far (the failed one included).</summary>
    public int Calls => Volatile.Read(ref _calls);

    public static FaultyEventLog Wrap(IEventLog inner, string methodName, string streamPrefix, int failCallNumber, int failCallCount = 1, Func<string, Exception>? failure = null)
    {
        IEventLog wrapped = Create<IEventLog, FaultyEventLog>();
        var proxy = (FaultyEventLog)(object)wrapped;
        proxy._inner = inner;
        proxy.MethodName = methodName;
        proxy.StreamPrefix = streamPrefix;
        proxy.FailCallNumber = failCallNumber;
        proxy.FailCallCount = failCallCount;
        proxy._failure = failure;
        return proxy;
    }

    /// <summary>This proxy as the log's interface.</summary>
    public IEventLog AsLog => (IEventLog)(object)this;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == MethodName && args?[0] is string stream && stream.StartsWith(StreamPrefix, StringComparison.Ordinal)
            && Interlocked.Increment(ref _calls) is int call && call >= FailCallNumber && call < FailCallNumber + FailCallCount)
        {
            Exception failure = _failure?.Invoke(stream) ?? new IOException($"Injected failure of {MethodName} call {call} on '{stream}' (nothing done).");
            Type returned = targetMethod.ReturnType;
            if (!returned.IsGenericType || returned.GetGenericTypeDefinition() != typeof(ValueTask<>))
            {
                throw failure;
            }

            MethodInfo fromException = typeof(ValueTask).GetMethods().Single(m => m.Name == nameof(ValueTask.FromException) && m.IsGenericMethod)
                .MakeGenericMethod(returned.GetGenericArguments()[0]);
            return fromException.Invoke(null, [failure]);
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
