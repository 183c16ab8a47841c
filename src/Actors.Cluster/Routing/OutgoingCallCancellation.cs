using Actors.Serialization;

namespace Actors.Cluster.Routing;

/// <summary>
/// The sending silo's cancellation scope for one forwarded call: the serializer exports each cancellable
/// <see cref="CancellationToken"/> argument under an id, and once the call is sent <see cref="Watch"/> tells the serving
/// silo (a CancelCall message) when one of them fires.
/// </summary>
/// <remarks>One call at a time; <see cref="Dispose"/> when the call's response arrived.</remarks>
internal sealed class OutgoingCallCancellation(ulong callId) : ICallCancellationScope, IDisposable
{
    private readonly List<CancellationToken> _exported = [];
    private readonly List<CancellationTokenRegistration> _watching = [];

    /// <summary>The call's id, unique among this silo incarnation's forwarded calls.</summary>
    public ulong CallId { get; } = callId;

    /// <inheritdoc />
    public ulong Export(CancellationToken token)
    {
        lock (_exported)
        {
            _exported.Add(token);
            return (ulong)_exported.Count;
        }
    }

    /// <inheritdoc />
    /// <exception cref="SerializerException">Always: a forwarded call's result cannot carry a cancellable token back.</exception>
    public CancellationToken Import(ulong id, bool alreadyCancelled) =>
        throw new SerializerException("A forwarded call's result cannot carry a cancellable CancellationToken back to the calling silo.");

    /// <summary>Calls <paramref name="cancel"/> with the token id when an exported token fires (at most once each).</summary>
    public void Watch(Action<ulong> cancel)
    {
        lock (_exported)
        {
            for (int i = 0; i < _exported.Count; i++)
            {
                ulong id = (ulong)(i + 1);
                _watching.Add(_exported[i].Register(() => cancel(id)));
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_exported)
        {
            foreach (CancellationTokenRegistration registration in _watching)
            {
                registration.Dispose();
            }

            _watching.Clear();
        }
    }
}
