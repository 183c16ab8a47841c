namespace Actors.Serialization;

/// <summary>
/// The call context a transport passes to <see cref="Serializer"/> so <see cref="CancellationToken"/> arguments cross it:
/// the sending side exports a token under an id (and sends a Cancel message for that id when the token fires), the
/// receiving side imports the id as a token it cancels when that message arrives.
/// </summary>
/// <remarks>Implementations must be thread-safe; a scope lives as long as one call.</remarks>
public interface ICallCancellationScope
{
    /// <summary>Returns a non-zero id for <paramref name="token"/> and starts watching it for the rest of the call.</summary>
    ulong Export(CancellationToken token);

    /// <summary>Returns a token cancelled when the peer cancels <paramref name="id"/> (already cancelled when <paramref name="alreadyCancelled"/>).</summary>
    CancellationToken Import(ulong id, bool alreadyCancelled);
}
