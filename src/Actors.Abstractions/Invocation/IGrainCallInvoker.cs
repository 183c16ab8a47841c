namespace Actors.Invocation;

/// <summary>
/// Delivers a grain call to wherever the grain lives and returns its result. The silo implements it over its
/// local activations; the client implements it over a gateway connection. Grain references (proxies) turn each
/// interface method call into a <see cref="GrainCallRequest"/> and hand it to an invoker.
/// </summary>
/// <remarks>
/// Thread-safe. The returned task completes with the method's result (null for <c>Task</c>/<c>ValueTask</c>
/// methods) or faults with the exception the grain threw (in-silo: the original exception object; across a
/// gateway: a <c>RemoteGrainException</c> carrying the original type name and message), or with
/// <see cref="TimeoutException"/> when no response arrives within the response timeout.
/// </remarks>
public interface IGrainCallInvoker
{
    /// <summary>Invokes <paramref name="request"/> and returns the method's result.</summary>
    ValueTask<object?> InvokeAsync(GrainCallRequest request, CancellationToken cancellationToken = default);
}
