using System.Reflection;
using Actors.Invocation;

namespace Actors.Runtime;

/// <summary>
/// A call (or timer tick) arriving at an activation, as incoming filters see it: the silo-wide filters in registration
/// order, then the grain itself when its class implements <see cref="IIncomingGrainCallFilter"/>, then the call.
/// </summary>
internal sealed class IncomingCallContext(GrainCall work, ActivationData activation, IGrainBase grain, IIncomingGrainCallFilter[] filters)
    : GrainCallContext(work.Request with { Arguments = work.Arguments }, work.Target), IIncomingGrainCallContext
{
    private readonly IIncomingGrainCallFilter? _grainFilter = grain as IIncomingGrainCallFilter;

    public override object Grain => grain;

    public IGrainContext TargetContext => activation;

    public MethodInfo ImplementationMethod => activation.ClassInfo.GetImplementation(CallRequest.Method);

    protected override int FilterCount => filters.Length + (_grainFilter is null ? 0 : 1);

    protected override Task InvokeFilterAsync(int index) => index < filters.Length ? filters[index].Invoke(this) : _grainFilter!.Invoke(this);

    protected override async ValueTask<object?> InvokeTargetAsync()
    {
        if (work.LocalTurn is { } turn)
        {
            await turn.RunAsync();
            return null;
        }

        return await activation.ClassInfo.GetInvoker(CallRequest.Method).Invoke(activation.InvocationTarget(CallRequest.Method), Arguments);
    }
}
