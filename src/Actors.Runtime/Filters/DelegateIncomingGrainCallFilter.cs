namespace Actors.Runtime;

/// <summary>An <see cref="IIncomingGrainCallFilter"/> over a delegate.</summary>
internal sealed class DelegateIncomingGrainCallFilter(IncomingGrainCallFilterDelegate filter) : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context) => filter(context);
}
