using Actors.Invocation;

namespace Actors.Runtime;

/// <summary>
/// The fields of a <see cref="GrainCall"/> that few calls use, kept out of the call so that a plain call (no call-chain
/// reentrancy, no cancellable token, not a timer turn, no [MayInterleave] class, never rerouted) does not carry them.
/// </summary>
/// <remarks>
/// <see cref="ReentrancyId"/> and <see cref="LocalTurn"/> are set when the call is created and never change; the
/// cancellation is registered before the call is dispatched; <see cref="Invokable"/> is read under the activation's
/// gate and <see cref="Reroutes"/> by the one dispatcher routing the call again, as on the call itself before.
/// </remarks>
internal sealed class GrainCallRareFields
{
    /// <summary>The call chain's reentrancy id the caller sent (<see cref="Guid.Empty"/>: none).</summary>
    public Guid ReentrancyId { get; init; }

    /// <summary>The runtime's own turn (a timer tick), or null for a grain call.</summary>
    public ILocalTurn? LocalTurn { get; init; }

    /// <summary>The call as a <c>[MayInterleave]</c> predicate sees it (created on first use).</summary>
    public IInvokable? Invokable { get; set; }

    /// <summary>The registration that cancels the call with the caller's token (default: none).</summary>
    public CancellationTokenRegistration Cancellation { get; set; }

    /// <summary>How many times the call was routed again after its activation went away.</summary>
    public int Reroutes { get; set; }
}
