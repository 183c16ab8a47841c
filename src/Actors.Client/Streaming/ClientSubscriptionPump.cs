using Actors.Runtime;
using Actors.Serialization;
using Actors.Streams;
using Actors.Streams.Client;
using Actors.Streams.Cluster;

namespace Actors.Client;

/// <summary>
/// Feeds one subscription's observer in a gateway client: pulls the next batch from the stream's agent (acknowledging
/// what the observer did with the previous one in the same call), hands its events to the observer in order, one at a
/// time, and repeats until stopped.
/// </summary>
/// <remarks>
/// <para><b>Reconnects.</b> A pull that fails because the gateway connection dropped, the silo is restarting or the
/// stream's partition is moving is sent again, with the same acknowledgement, after a backoff (0.1 s doubling to 5 s);
/// the client reconnects on that call. Events after the last acknowledged one are offered again, and those this pump
/// already handled (sequence number at or below the last it handled) are acknowledged without calling the observer, so
/// within the client's lifetime the observer sees each event once, in order.</para>
/// <para><b>Errors.</b> A streaming error (the subscription was cancelled or dropped:
/// <see cref="StreamSubscriptionNotFoundException"/>; or another <see cref="StreamException"/>), an
/// <see cref="InvalidOperationException"/> (no such provider) or a refused handshake ends the pump after telling the
/// observer's <c>OnErrorAsync</c>. A disposed client ends it silently.</para>
/// </remarks>
internal sealed class ClientSubscriptionPump<T>(IStreamAgentGrain agent, string provider, StreamId streamId, Guid subscriptionId, string clientId, IAsyncObserver<T> observer)
    : IClientSubscriptionPump
{
    /// <summary>How long one pull may wait at the owner for events (the owner caps it with its <c>ClientPullWait</c>); well below the client's response timeout.</summary>
    private static readonly TimeSpan PullWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stop = new();
    private long _lastHandled;

    public void Start() => _ = Task.Run(RunAsync);

    public void Stop() => _stop.Cancel();

    private async Task RunAsync()
    {
        ClientStreamAck? ack = null;
        TimeSpan backoff = FirstBackoff;
        while (!_stop.IsCancellationRequested)
        {
            ClientStreamBatch batch;
            try
            {
                batch = await agent.PullClient(provider, streamId, subscriptionId, clientId, ack, PullWait);
                backoff = FirstBackoff;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex) when (ex is StreamException or InvalidOperationException or GatewayRejectedException)
            {
                if (!_stop.IsCancellationRequested)
                {
                    await TellAsync(ex);
                }

                return;
            }
            catch (SerializerException) when (ack?.Failure is { } failure && failure is not InvalidOperationException)
            {
                // The observer's exception has no codec: send its type and message instead, so the acknowledgement gets through.
                ack = ack with { Failure = new InvalidOperationException($"The observer threw {failure.GetType().FullName}: {failure.Message}") };
                continue;
            }
            catch (SerializerException ex)
            {
                // This client cannot read the offered batch (an item its serializer cannot decode): the owner is told, offers
                // the events one at a time, and reports the one that cannot be read to OnErrorAsync before passing it.
                ack = new ClientStreamAck(ClientStreamAck.UnreadableOffer, 0, new InvalidOperationException(
                    $"The gateway client cannot read the offered events: {ex.GetType().FullName}: {ex.Message}"), 0);
                continue;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Not reached, or the outcome is unknown: pull again with the same acknowledgement (it is ignored if it arrived).
                try
                {
                    await Task.Delay(backoff, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
                continue;
            }

            ack = batch.IsEmpty ? null : await HandleAsync(batch);
        }
    }

    /// <summary>Gives the batch to the observer; returns what it did (sent with the next pull).</summary>
    private async Task<ClientStreamAck?> HandleAsync(ClientStreamBatch batch)
    {
        if (batch.Report is { } report)
        {
            await TellAsync(report);
            return new ClientStreamAck(batch.OfferId, 1, null, 0);
        }

        int undeliverable = 0;
        for (int i = 0; i < batch.Events.Count; i++)
        {
            if (_stop.IsCancellationRequested)
            {
                return null;
            }

            ClientStreamEvent streamEvent = batch.Events[i];
            if (streamEvent.SequenceNumber <= _lastHandled)
            {
                continue;
            }

            var token = new EventSequenceToken(streamEvent.SequenceNumber);
            try
            {
                switch (streamEvent.Kind)
                {
                    case ClientStreamEventKind.Item when streamEvent.Value is T value:
                        await observer.OnNextAsync(value, token);
                        break;
                    case ClientStreamEventKind.Item when streamEvent.Value is null && default(T) is null:
                        await observer.OnNextAsync(default!, token);
                        break;
                    case ClientStreamEventKind.Item:
                        undeliverable++;
                        await observer.OnErrorAsync(new StreamDeliveryException(provider, streamId, subscriptionId, token,
                            $"the item of type '{streamEvent.Value?.GetType().FullName ?? "null"}' is not assignable to the observer's type '{typeof(T).FullName}'",
                            itemTypeName: streamEvent.Value?.GetType().FullName));
                        break;
                    case ClientStreamEventKind.Completed:
                        await observer.OnCompletedAsync();
                        break;
                    case ClientStreamEventKind.Undeliverable:
                        undeliverable++;
                        await observer.OnErrorAsync(streamEvent.Error!);
                        break;
                    default:
                        await observer.OnErrorAsync(streamEvent.Error!);
                        break;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return new ClientStreamAck(batch.OfferId, i, ex, undeliverable);
            }

            _lastHandled = streamEvent.SequenceNumber;
        }

        return new ClientStreamAck(batch.OfferId, batch.Events.Count, null, undeliverable);
    }

    private async Task TellAsync(Exception error)
    {
        try
        {
            await observer.OnErrorAsync(error);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Told: what the observer does about it, throwing included, is its own business (as for grains).
        }
    }
}
