using Actors.Runtime;

namespace Actors.Invocation;

/// <summary>
/// Runs a process's outgoing grain call filters (silo or client) around each call, then sends it with the arguments and
/// the request context as the filters left them.
/// </summary>
/// <remarks>Thread-safe; filters are called in registration order.</remarks>
public sealed class OutgoingCallPipeline
{
    private readonly IOutgoingGrainCallFilter[] _filters;

    /// <summary>Creates the pipeline over <paramref name="filters"/>.</summary>
    public OutgoingCallPipeline(IEnumerable<IOutgoingGrainCallFilter> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        _filters = [.. filters];
    }

    /// <summary>Whether there is no filter (callers skip the pipeline entirely).</summary>
    public bool IsEmpty => _filters.Length == 0;

    /// <summary>
    /// Runs the filters, then <paramref name="send"/> with the request as they left it (arguments, and the request
    /// context of the flow at that point); returns the call's result as the filters left it.
    /// </summary>
    public async ValueTask<object?> InvokeAsync(
        GrainCallRequest request,
        IGrainContext? source,
        Func<GrainCallRequest, CancellationToken, ValueTask<object?>> send,
        CancellationToken cancellationToken)
    {
        var context = new OutgoingContext(this, request, source, send, cancellationToken);
        await context.Invoke();
        return context.Result;
    }

    private sealed class OutgoingContext(
        OutgoingCallPipeline pipeline,
        GrainCallRequest request,
        IGrainContext? source,
        Func<GrainCallRequest, CancellationToken, ValueTask<object?>> send,
        CancellationToken cancellationToken)
        : GrainCallContext(request, request.Target), IOutgoingGrainCallContext
    {
        public override object Grain { get; } = new OutgoingCallTarget(request.Target, request.Method.InterfaceType);

        public IGrainContext? SourceContext => source;

        protected override int FilterCount => pipeline._filters.Length;

        protected override Task InvokeFilterAsync(int index) => pipeline._filters[index].Invoke(this);

        protected override ValueTask<object?> InvokeTargetAsync()
            => send(CallRequest with { Arguments = Arguments, RequestContext = RequestContext.Export() }, cancellationToken);
    }
}
