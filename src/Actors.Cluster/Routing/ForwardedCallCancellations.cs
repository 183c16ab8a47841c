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
/// A CancelCall that arrives before its call was read, or after it ended, finds nothing and is dropped: the sending
/// silo stops waiting for the call in any case (its own await is cancelled), only the serving grain may run on.
/// Thread-safe.
/// </remarks>
internal sealed class ForwardedCallCancellations
{
    private readonly ConcurrentDictionary<ForwardedCallKey, IncomingCallCancellation> _running = new();

    /// <summary>Starts the scope of a call read from <paramref name="sender"/>.</summary>
    public IncomingCallCancellation Begin(SiloAddress sender, ulong callId)
    {
        // The scope registers itself when it imports its first token: calls without one cost no entry.
        return new IncomingCallCancellation(this, new ForwardedCallKey(sender.Name, sender.Incarnation, callId));
    }

    /// <summary>Cancels token <paramref name="tokenId"/> of call <paramref name="callId"/> from <paramref name="sender"/>, if it still runs.</summary>
    public void Cancel(SiloAddress sender, ulong callId, ulong tokenId)
    {
        if (_running.TryGetValue(new ForwardedCallKey(sender.Name, sender.Incarnation, callId), out IncomingCallCancellation? scope))
        {
            scope.Cancel(tokenId);
        }
    }

    /// <summary>The number of forwarded calls in scope now.</summary>
    public int Count => _running.Count;

    internal void Register(ForwardedCallKey key, IncomingCallCancellation scope) => _running[key] = scope;

    internal void End(ForwardedCallKey key, IncomingCallCancellation scope)
        => _running.TryRemove(new KeyValuePair<ForwardedCallKey, IncomingCallCancellation>(key, scope));
}
