namespace Actors.Serialization;

/// <summary>
/// The runtime's <see cref="ICancellationTokenBridge"/>: hands each token to the <see cref="ICallCancellationScope"/> the
/// transport passed as the serializer's call context. A cancellable token serialized without such a scope is an error,
/// never a token silently dropped.
/// </summary>
public sealed class CallCancellationBridge : ICancellationTokenBridge
{
    /// <summary>The shared instance (the bridge holds no state).</summary>
    public static CallCancellationBridge Instance { get; } = new();

    /// <inheritdoc />
    public ulong Export(CancellationToken token, object? callContext) => Scope(callContext).Export(token);

    /// <inheritdoc />
    public CancellationToken Import(ulong id, bool alreadyCancelled, object? callContext) => Scope(callContext).Import(id, alreadyCancelled);

    private static ICallCancellationScope Scope(object? callContext) => callContext as ICallCancellationScope
        ?? throw new SerializerException(
            "A cancellable CancellationToken can only cross a grain call boundary (a transport that carries its cancellation); " +
            "here it would lose its cancellation. Pass CancellationToken.None or send it as a grain call argument.");
}
