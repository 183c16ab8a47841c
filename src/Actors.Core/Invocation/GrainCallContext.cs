using System.Reflection;

namespace Actors.Invocation;

/// <summary>
/// The common part of an incoming or outgoing call context: the request with its own copy of the arguments, the
/// filter pipeline and <see cref="Invoke"/>. A runtime derives it for each direction.
/// </summary>
/// <remarks>
/// <see cref="Invoke"/> runs filter <c>i</c> and restores the stage when it returns, so a filter may call
/// <see cref="Invoke"/> more than once (a retry); after the last filter it runs <see cref="InvokeTargetAsync"/>, whose
/// result becomes <see cref="Result"/>. Not thread-safe: one call, one flow.
/// </remarks>
public abstract class GrainCallContext : IGrainCallContext
{
    private readonly RequestInvokable _request;
    private int _stage;

    /// <summary>Creates the context of <paramref name="request"/>.</summary>
    protected GrainCallContext(GrainCallRequest request, GrainId targetId)
    {
        ArgumentNullException.ThrowIfNull(request);
        CallRequest = request;
        TargetId = targetId;
        _request = new RequestInvokable(request.Method, request.Arguments);
    }

    /// <summary>The request as it entered the pipeline.</summary>
    public GrainCallRequest CallRequest { get; }

    /// <summary>The arguments as the filters left them.</summary>
    public object?[] Arguments => _request.Arguments;

    /// <inheritdoc />
    public IInvokable Request => _request;

    /// <inheritdoc />
    public abstract object Grain { get; }

    /// <inheritdoc />
    public GrainId? SourceId => CallRequest.SourceId;

    /// <inheritdoc />
    public GrainId TargetId { get; }

    /// <inheritdoc />
    public Type InterfaceType => CallRequest.Method.InterfaceType;

    /// <inheritdoc />
    public string InterfaceName => _request.GetInterfaceName();

    /// <inheritdoc />
    public string MethodName => CallRequest.Method.Method.Name;

    /// <inheritdoc />
    public MethodInfo InterfaceMethod => CallRequest.Method.Method;

    /// <inheritdoc />
    public object? Result { get; set; }

    /// <summary>The number of filters in the pipeline.</summary>
    protected abstract int FilterCount { get; }

    /// <inheritdoc />
    public async Task Invoke()
    {
        int stage = _stage;
        if (stage >= FilterCount)
        {
            Result = await InvokeTargetAsync();
            return;
        }

        _stage = stage + 1;
        try
        {
            await InvokeFilterAsync(stage);
        }
        finally
        {
            _stage = stage;
        }
    }

    /// <summary>Runs filter <paramref name="index"/> with this context.</summary>
    protected abstract Task InvokeFilterAsync(int index);

    /// <summary>Runs the call itself with <see cref="Arguments"/> and returns its result.</summary>
    protected abstract ValueTask<object?> InvokeTargetAsync();
}
