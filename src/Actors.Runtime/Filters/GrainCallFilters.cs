using Actors.Invocation;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime;

/// <summary>
/// The silo's call filters, resolved from its services on first use (filters may depend on the grain factory, which
/// depends on the runtime): incoming filters for calls arriving at activations, the outgoing pipeline for calls made
/// in this silo.
/// </summary>
internal sealed class GrainCallFilters(IServiceProvider services)
{
    private IIncomingGrainCallFilter[]? _incoming;
    private OutgoingCallPipeline? _outgoing;

    public IIncomingGrainCallFilter[] Incoming => _incoming ??= [.. services.GetServices<IIncomingGrainCallFilter>()];

    public OutgoingCallPipeline Outgoing => _outgoing ??= new OutgoingCallPipeline(services.GetServices<IOutgoingGrainCallFilter>());
}
