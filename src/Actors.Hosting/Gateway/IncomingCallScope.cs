using Actors.Serialization;

namespace Actors.Hosting.Gateway;

/// <summary>
/// The serializer's call context for one request arriving at the gateway: imports the ids of the client's cancellable
/// tokens as tokens the connection's Cancel frames cancel, and forgets them when the call ends.
/// </summary>
/// <remarks>Used by one request at a time; <see cref="Dispose"/> when its response is sent.</remarks>
internal sealed class IncomingCallScope(GatewayCancellations cancellations) : ICallCancellationScope, IDisposable
{
    private readonly Lock _lock = new();
    private List<ulong>? _imported;

    /// <inheritdoc />
    /// <exception cref="SerializerException">Always: a gateway never sends cancellable tokens to a client.</exception>
    public ulong Export(CancellationToken token) =>
        throw new SerializerException("A result cannot carry a cancellable CancellationToken back to a client.");

    /// <inheritdoc />
    public CancellationToken Import(ulong id, bool alreadyCancelled)
    {
        CancellationTokenSource source = cancellations.Acquire(id);
        lock (_lock)
        {
            (_imported ??= []).Add(id);
        }

        if (alreadyCancelled)
        {
            source.Cancel();
        }

        return source.Token;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        List<ulong>? imported;
        lock (_lock)
        {
            imported = _imported;
            _imported = null;
        }

        foreach (ulong id in imported ?? [])
        {
            cancellations.Release(id);
        }
    }
}
