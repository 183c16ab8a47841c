using Actors.Invocation;

namespace Actors.Runtime;

/// <summary>
/// One request queued at an activation: the call, its (already copied) arguments and the caller's completion; or a
/// <see cref="ILocalTurn"/> the runtime runs on the activation (a timer tick), which no caller awaits.
/// </summary>
internal sealed class GrainWorkItem
{
    private const int Pending = 0;
    private const int Started = 1;
    private const int Abandoned = 2;

    private int _state;

    public GrainWorkItem(GrainCallRequest request, object?[] arguments, GrainId target, GrainClassInfo classInfo, DateTimeOffset deadline)
    {
        Request = request;
        Arguments = arguments;
        Target = target;
        ClassInfo = classInfo;
        Deadline = deadline;
    }

    /// <summary>A local turn of <paramref name="activation"/>, presented as a call of <paramref name="method"/> (no arguments, no deadline).</summary>
    public GrainWorkItem(ILocalTurn turn, GrainMethod method, ActivationData activation)
        : this(new GrainCallRequest(activation.GrainId, method, []), [], activation.GrainId, activation.ClassInfo, DateTimeOffset.MaxValue)
    {
        LocalTurn = turn;
    }

    public GrainCallRequest Request { get; }

    public object?[] Arguments { get; }

    /// <summary>The canonical grain id (the request's may carry a client's provisional type name).</summary>
    public GrainId Target { get; }

    public GrainClassInfo ClassInfo { get; }

    /// <summary>When the caller stops waiting (the response timeout sweep fails the call after it).</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>The runtime's own turn (a timer tick), or null for a grain call.</summary>
    public ILocalTurn? LocalTurn { get; }

    /// <summary>Whether the item may start while other requests of a non-reentrant activation are running.</summary>
    public bool AlwaysInterleave => LocalTurn?.Interleave ?? false;

    /// <summary>Whether completing the item counts as activity for idle collection (every call does; a timer tick only with KeepAlive).</summary>
    public bool KeepAlive => LocalTurn?.KeepAlive ?? true;

    /// <summary>How many times the request was routed again after its activation went away (see <c>LocalGrainCallInvoker.RedispatchAsync</c>).</summary>
    public int Reroutes { get; set; }

    /// <summary>The activation the item was queued at.</summary>
    public ActivationData? Activation { get; set; }

    public TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Marks the item as running; false when the caller already gave up (timeout), so it must be skipped.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Pending) == Pending;

    /// <summary>The caller gave up: if the item has not started, it never will.</summary>
    public void Abandon() => Interlocked.CompareExchange(ref _state, Abandoned, Pending);

    /// <summary>Ends an item that will not run here: a call fails with <paramref name="error"/>; a local turn (no caller) is dropped.</summary>
    public void Fail(Exception error)
    {
        Abandon();
        if (LocalTurn is null)
        {
            Completion.TrySetException(error);
        }
        else
        {
            Completion.TrySetResult(null);
        }
    }

    /// <summary>Fails the call with a <see cref="TimeoutException"/> (the request, if queued, is skipped).</summary>
    public bool TimeOut(TimeSpan timeout)
    {
        Abandon();
        return Completion.TrySetException(new TimeoutException(
            $"Call {Request.Method.InterfaceType.Name}.{Request.Method.Method.Name} to grain {Target} got no response within {timeout} (a call cycle between non-reentrant grains, or a slow grain)."));
    }
}
