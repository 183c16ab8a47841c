namespace Actors.Hosting;

/// <summary>A call the stuck-grain detector reports.</summary>
/// <param name="GrainId">The grain called.</param>
/// <param name="Method">The interface method (<c>Interface.Method</c>).</param>
/// <param name="IsRunning">True when the call's turn is running (a stuck turn); false when the call is waiting in the activation's queue.</param>
/// <param name="Duration">How long the turn has run, or how long the call has waited, when last checked.</param>
public sealed record StuckGrainCall(GrainId GrainId, string Method, bool IsRunning, TimeSpan Duration);
