using System.Collections.Concurrent;
using Actors.Cluster.Messaging;

namespace Actors.Cluster.Routing;

/// <summary>Identifies a forwarded call on its serving silo: the sending silo incarnation and its call id.</summary>
internal readonly record struct ForwardedCallKey(string Sender, long Incarnation, ulong CallId);

/// <summary>
/// The forwarded calls running on this silo that carry cancellable tokens, by sender and call id, so a CancelCall message
/// reaches their tokens.
/// </summary>
/// <remarks>
/// A CancelCall can overtake its call (both are requests served concurrently): one that finds no running call is kept
/// for <see cref="EarlyCancelLifetime"/> and applied when the call imports that token. Both sides check the other after
/// recording themselves, so neither order loses the cancel. Thread-safe.
/// </remarks>
internal sealed class ForwardedCallCancellations(TimeProvider time)
{
    /// <summary>How long a cancel that found no running call is kept for its call to arrive.</summary>
    public static readonly TimeSpan EarlyCancelLifetime = TimeSpan.FromMinutes(2);

    private const int SweepAbove = 1024;

    private readonly ConcurrentDictionary<ForwardedCallKey, IncomingCallCancellation> _running = new();
    private readonly ConcurrentDictionary<(ForwardedCallKey Call, ulong TokenId), long> _early = new();

    /// <summary>Starts the scope of a call read from <paramref name="sender"/>.</summary>
    public IncomingCallCancellation Begin(SiloAddress sender, ulong callId)
    {
        // The scope registers itself when it imports its first token: calls without one cost no entry.
        return new IncomingCallCancellation(this, new ForwardedCallKey(sender.Name, sender.Incarnation, callId));
    }

    /// <summary>Cancels token <paramref name="tokenId"/> of call <paramref name="callId"/> from <paramref name="sender"/>, if it still runs.</summary>
    public void Cancel(SiloAddress sender, ulong callId, ulong tokenId)
    {
        var key = new ForwardedCallKey(sender.Name, sender.Incarnation, callId);
        if (_running.TryGetValue(key, out IncomingCallCancellation? scope) && scope.Cancel(tokenId))
        {
            return;
        }

        // The call has not imported the token yet (or ended): keep the cancel, then look again.
        _early[(key, tokenId)] = time.GetTimestamp();
        if (_running.TryGetValue(key, out scope) && scope.Cancel(tokenId))
        {
            _early.TryRemove((key, tokenId), out _);
        }

        if (_early.Count > SweepAbove)
        {
            Sweep();
        }
    }

    /// <summary>Whether a cancel for token <paramref name="tokenId"/> of <paramref name="key"/> arrived before the token was imported (consumes it).</summary>
    internal bool TakeEarlyCancel(ForwardedCallKey key, ulong tokenId) => _early.TryRemove((key, tokenId), out _);

    private void Sweep()
    {
        foreach (KeyValuePair<(ForwardedCallKey, ulong), long> entry in _early)
        {
            if (time.GetElapsedTime(entry.Value) > EarlyCancelLifetime)
            {
                _early.TryRemove(entry);
            }
        }
    }

    /// <summary>The number of forwarded calls in scope now.</summary>
    public int Count => _running.Count;

    internal void Register(ForwardedCallKey key, IncomingCallCancellation scope) => _running[key] = scope;

    internal void End(ForwardedCallKey key, IncomingCallCancellation scope)
        => _running.TryRemove(new KeyValuePair<ForwardedCallKey, IncomingCallCancellation>(key, scope));
}
