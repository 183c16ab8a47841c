namespace Actors.Serialization;

/// <summary>
/// Supplied by the runtime (registered with <see cref="SerializerBuilder.UseCancellationTokenBridge"/>): carries
/// cancellation across the wire. The writing side exports a token as an id and later tells its peer when that id is
/// cancelled; the reading side imports the id as a token its runtime cancels when the peer says so.
/// </summary>
/// <remarks>
/// Without a bridge a token that can be cancelled cannot be written (a <see cref="SerializerException"/>): silently
/// dropping cancellation would be data loss. <see cref="CancellationToken.None"/> always crosses. Implementations must be
/// thread-safe.
/// </remarks>
public interface ICancellationTokenBridge
{
    /// <summary>Returns a non-zero id by which the peer will refer to <paramref name="token"/>, and starts watching it.</summary>
    ulong Export(CancellationToken token, object? callContext);

    /// <summary>Returns a token cancelled when the peer cancels <paramref name="id"/> (already cancelled when <paramref name="alreadyCancelled"/>).</summary>
    CancellationToken Import(ulong id, bool alreadyCancelled, object? callContext);
}
