using Actors.Serialization;

namespace Actors.Cluster.Routing;

/// <summary>
/// The serving silo's cancellation scope for one forwarded call: each imported token id becomes a token that a CancelCall
/// message from the sending silo cancels. Registered in <see cref="ForwardedCallCancellations"/> while the call runs.
/// </summary>
/// <remarks>Thread-safe; <see cref="Dispose"/> when the call ended (its tokens are then never cancelled).</remarks>
internal sealed class IncomingCallCancellation(ForwardedCallCancellations owner, ForwardedCallKey key) : ICallCancellationScope, IDisposable
{
    private readonly Dictionary<ulong, CancellationTokenSource> _tokens = [];
    private bool _disposed;

    /// <inheritdoc />
    /// <exception cref="SerializerException">Always: a forwarded call's arguments are read here, nothing is exported.</exception>
    public ulong Export(CancellationToken token) =>
        throw new SerializerException("A forwarded call's result cannot carry a cancellable CancellationToken back to the calling silo.");

    /// <inheritdoc />
    public CancellationToken Import(ulong id, bool alreadyCancelled)
    {
        CancellationTokenSource source;
        lock (_tokens)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_tokens.TryGetValue(id, out source!))
            {
                if (_tokens.Count == 0)
                {
                    owner.Register(key, this);
                }

                source = new CancellationTokenSource();
                _tokens[id] = source;
            }
        }

        if (alreadyCancelled || owner.TakeEarlyCancel(key, id))
        {
            source.Cancel();
        }

        return source.Token;
    }

    /// <summary>Cancels the token imported under <paramref name="id"/>; false when there is none (not imported yet, or the call ended).</summary>
    public bool Cancel(ulong id)
    {
        CancellationTokenSource? source;
        lock (_tokens)
        {
            if (_disposed || !_tokens.TryGetValue(id, out source))
            {
                return false;
            }
        }

        source.Cancel();
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        bool registered;
        lock (_tokens)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            registered = _tokens.Count > 0;
            foreach (CancellationTokenSource source in _tokens.Values)
            {
                source.Dispose();
            }
        }

        if (registered)
        {
            owner.End(key, this);
        }
    }
}
