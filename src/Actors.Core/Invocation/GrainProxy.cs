using System.Reflection;

namespace Actors.Invocation;

/// <summary>
/// The base of runtime-generated grain references (<see cref="DispatchProxy"/>): each interface call becomes a
/// <see cref="GrainCallRequest"/> for the invoker, and the invoker's result becomes the method's return type.
/// </summary>
/// <remarks>Not sealed: <see cref="DispatchProxy"/> derives the proxy type from it. Equality is by grain id and interface.</remarks>
internal class GrainProxy : DispatchProxy, IGrainReference
{
    private IGrainCallInvoker? _invoker;

    /// <inheritdoc />
    public GrainId GrainId { get; private set; }

    /// <inheritdoc />
    public Type InterfaceType { get; private set; } = typeof(IGrain);

    internal void Initialize(IGrainCallInvoker invoker, GrainId grainId, Type interfaceType)
    {
        _invoker = invoker;
        GrainId = grainId;
        InterfaceType = interfaceType;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is IGrainReference other && other.GrainId == GrainId && other.InterfaceType == InterfaceType;

    /// <inheritdoc />
    public override int GetHashCode() => GrainId.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => $"GrainReference({InterfaceType.Name} {GrainId})";

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        ProxyMethodPlan plan = ProxyMethodPlan.For(targetMethod);
        var request = new GrainCallRequest(GrainId, plan.Method, args ?? []);
        return plan.ConvertResult(_invoker!.InvokeAsync(request));
    }
}
