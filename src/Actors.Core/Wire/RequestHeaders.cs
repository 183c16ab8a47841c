namespace Actors.Wire;

/// <summary>
/// The headers of a request message: what travels with a call besides its target, method and arguments. Shared by the
/// gateway and (for silo-to-silo messaging) any transport that carries <see cref="RequestFrame"/>s.
/// </summary>
/// <param name="Flags">One-way and future per-call flags.</param>
/// <param name="TimeoutMilliseconds">How long the caller waits for the response (0: the receiver's default); the receiver gives up no later.</param>
/// <param name="CancellationId">
/// Non-zero: the id under which the caller will send a Cancel frame when it abandons the call; the receiver cancels
/// the call's token then. Ids are chosen by the sender, unique on the connection, and shared with the ids of
/// <see cref="System.Threading.CancellationToken"/> arguments.
/// </param>
/// <param name="CallChain">The grains the call passed through, oldest first (empty for a call from a client).</param>
/// <param name="RequestContext">The caller's request context, serialized as a <c>Dictionary&lt;string, object&gt;</c> (empty: none).</param>
public sealed record RequestHeaders(
    RequestFlags Flags,
    uint TimeoutMilliseconds,
    ulong CancellationId,
    IReadOnlyList<GrainId> CallChain,
    byte[] RequestContext)
{
    /// <summary>No flags, no timeout, no cancellation, no call chain, no request context.</summary>
    public static RequestHeaders None { get; } = new(RequestFlags.None, 0, 0, [], []);

    /// <summary>Whether the caller expects no response.</summary>
    public bool IsOneWay => (Flags & RequestFlags.OneWay) != 0;
}
