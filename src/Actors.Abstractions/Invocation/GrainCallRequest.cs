namespace Actors.Invocation;

/// <summary>One grain call: which grain, which interface method, the arguments, and the headers that travel with it.</summary>
/// <param name="Target">The grain called.</param>
/// <param name="Method">The interface method called.</param>
/// <param name="Arguments">The arguments in declaration order (length = the method's parameter count).</param>
public sealed record GrainCallRequest(GrainId Target, GrainMethod Method, object?[] Arguments)
{
    /// <summary>
    /// The caller's <see cref="Runtime.RequestContext"/> entries captured when the call was made (null: none). The
    /// silo's call path fills it; a transport that carries the call to another process carries it too.
    /// </summary>
    public IReadOnlyDictionary<string, object>? RequestContext { get; init; }

    /// <summary>The grain that made the call (null: a client or silo code outside grains).</summary>
    public GrainId? SourceId { get; init; }

    /// <summary>
    /// The call was made in another process and arrived here through a transport (the gateway, another silo): its
    /// headers are already set, and this process's outgoing call filters do not run for it.
    /// </summary>
    public bool IsForwarded { get; init; }
}
