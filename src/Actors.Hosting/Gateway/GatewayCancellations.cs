using System.Collections.Concurrent;

namespace Actors.Hosting.Gateway;

/// <summary>
/// The cancellation ids a client exported on one connection (a call's own id and its token arguments), each mapped to
/// the source whose token the silo handed to the call. A Cancel frame cancels it; closing the connection cancels all.
/// </summary>
/// <remarks>Thread-safe. A Cancel for an id no running call imported (the call already ended) is ignored.</remarks>
internal sealed class GatewayCancellations
{
    private readonly ConcurrentDictionary<ulong, CancellationTokenSource> _sources = new();

    /// <summary>Returns the source of <paramref name="id"/>, creating it (the caller owns the registration until it calls <see cref="Release"/>).</summary>
    public CancellationTokenSource Acquire(ulong id) => _sources.GetOrAdd(id, static _ => new CancellationTokenSource());

    /// <summary>Forgets <paramref name="id"/> (its call ended).</summary>
    public void Release(ulong id)
    {
        if (_sources.TryRemove(id, out CancellationTokenSource? source))
        {
            source.Dispose();
        }
    }

    /// <summary>Cancels the token of <paramref name="id"/>; callbacks run on the thread pool, not on the connection's reader.</summary>
    public void Cancel(ulong id)
    {
        if (_sources.TryGetValue(id, out CancellationTokenSource? source))
        {
            _ = Task.Run(() => CancelQuietly(source));
        }
    }

    /// <summary>Cancels every token (the connection closed).</summary>
    public void CancelAll()
    {
        foreach (CancellationTokenSource source in _sources.Values)
        {
            CancelQuietly(source);
        }
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call ended meanwhile: nothing left to cancel.
        }
    }
}
