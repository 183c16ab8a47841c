using Actors.Serialization;

namespace Actors.Client;

/// <summary>
/// The serializer's call context for one outgoing call: exports the call's <see cref="CancellationToken"/>s (its own
/// and any token argument) under connection-unique ids and sends a Cancel frame when one fires. A token that fires
/// before the request frame is queued has its Cancel held back until <see cref="Activate"/>, so the silo never sees a
/// Cancel before the request it refers to.
/// </summary>
/// <remarks>Thread-safe. <see cref="Dispose"/> stops watching the tokens (the call is over).</remarks>
internal sealed class OutgoingCallScope(GatewayClientConnection connection) : ICallCancellationScope, IDisposable
{
    private readonly Lock _lock = new();
    private List<CancellationTokenRegistration>? _registrations;
    private List<ulong>? _early;
    private bool _active;
    private bool _disposed;

    /// <inheritdoc />
    public ulong Export(CancellationToken token)
    {
        ulong id = connection.NextCancellationId();
        CancellationTokenRegistration registration = token.UnsafeRegister(static (state, _) =>
        {
            var (scope, id) = ((OutgoingCallScope, ulong))state!;
            scope.OnCancelled(id);
        }, (this, id));
        lock (_lock)
        {
            if (!_disposed)
            {
                (_registrations ??= []).Add(registration);
                return id;
            }
        }

        registration.Dispose();
        return id;
    }

    /// <inheritdoc />
    /// <exception cref="SerializerException">Always: a response never carries a cancellable token to a client.</exception>
    public CancellationToken Import(ulong id, bool alreadyCancelled) =>
        throw new SerializerException("A response carried a cancellable CancellationToken; a client only sends them.");

    /// <summary>The request frame is queued: Cancel frames may follow it now.</summary>
    public void Activate()
    {
        List<ulong>? early;
        lock (_lock)
        {
            _active = true;
            early = _early;
            _early = null;
        }

        foreach (ulong id in early ?? [])
        {
            connection.SendCancel(id);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        List<CancellationTokenRegistration>? registrations;
        lock (_lock)
        {
            _disposed = true;
            registrations = _registrations;
            _registrations = null;
        }

        foreach (CancellationTokenRegistration registration in registrations ?? [])
        {
            registration.Dispose();
        }
    }

    private void OnCancelled(ulong id)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            if (!_active)
            {
                (_early ??= []).Add(id);
                return;
            }
        }

        connection.SendCancel(id);
    }
}
