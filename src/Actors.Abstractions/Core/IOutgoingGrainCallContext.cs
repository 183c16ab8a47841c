using Actors.Runtime;

namespace Actors;

/// <summary>A call as an outgoing filter sees it, in the caller (Orleans' <c>IOutgoingGrainCallContext</c>).</summary>
public interface IOutgoingGrainCallContext : IGrainCallContext
{
    /// <summary>The calling grain's activation, or null when the caller is not a grain (a client, silo code).</summary>
    IGrainContext? SourceContext { get; }
}
