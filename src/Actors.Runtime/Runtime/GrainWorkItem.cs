using Actors.Invocation;

namespace Actors.Runtime;

/// <summary>One request queued at an activation: the call, its (already copied) arguments and the caller's completion.</summary>
internal sealed class GrainWorkItem(GrainCallRequest request, object?[] arguments, GrainId target, GrainClassInfo classInfo, DateTimeOffset deadline)
{
    private const int Pending = 0;
    private const int Started = 1;
    private const int Abandoned = 2;

    private int _state;

    public GrainCallRequest Request { get; } = request;

    public object?[] Arguments { get; } = arguments;

    /// <summary>The canonical grain id (the request's may carry a client's provisional type name).</summary>
    public GrainId Target { get; } = target;

    public GrainClassInfo ClassInfo { get; } = classInfo;

    /// <summary>When the caller stops waiting (the response timeout sweep fails the call after it).</summary>
    public DateTimeOffset Deadline { get; } = deadline;

    /// <summary>How many times the request was routed again after its activation went away (see <c>LocalGrainCallInvoker.RedispatchAsync</c>).</summary>
    public int Reroutes { get; set; }

    /// <summary>The activation the item was queued at.</summary>
    public ActivationData? Activation { get; set; }

    public TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Marks the item as running; false when the caller already gave up (timeout), so it must be skipped.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Pending) == Pending;

    /// <summary>The caller gave up: if the item has not started, it never will.</summary>
    public void Abandon() => Interlocked.CompareExchange(ref _state, Abandoned, Pending);

    /// <summary>Fails the call with a <see cref="TimeoutException"/> (the request, if queued, is skipped).</summary>
    public bool TimeOut(TimeSpan timeout)
    {
        Abandon();
        return Completion.TrySetException(new TimeoutException(
            $"Call {Request.Method.InterfaceType.Name}.{Request.Method.Method.Name} to grain {Target} got no response within {timeout} (a call cycle between non-reentrant grains, or a slow grain)."));
    }
}
