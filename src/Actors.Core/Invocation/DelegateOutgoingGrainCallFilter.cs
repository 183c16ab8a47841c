namespace Actors.Invocation;

/// <summary>An <see cref="IOutgoingGrainCallFilter"/> over a delegate.</summary>
public sealed class DelegateOutgoingGrainCallFilter(OutgoingGrainCallFilterDelegate filter) : IOutgoingGrainCallFilter
{
    /// <inheritdoc />
    public Task Invoke(IOutgoingGrainCallContext context) => filter(context);
}
