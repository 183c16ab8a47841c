using System.Diagnostics.Metrics;

namespace Actors.Streams;

/// <summary>The streaming instruments (meter <c>Actors.Streams</c>, tag <c>provider</c>).</summary>
internal sealed class StreamingInstruments : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Actors.Streams";

    private readonly Meter _meter = new(MeterName);
    private readonly KeyValuePair<string, object?> _provider;
    private readonly Counter<long> _produced;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _clientsDropped;
    private long _clientsDroppedTotal;
    private long _failedTotal;
    private long _inFlight;
    private long _maxInFlight;

    public StreamingInstruments(string providerName)
    {
        _provider = new("provider", providerName);
        _produced = _meter.CreateCounter<long>("actors.streams.produced", "{event}", "Events stored in streams (acknowledged to producers).");
        _delivered = _meter.CreateCounter<long>("actors.streams.delivered", "{event}", "Events acknowledged by subscribers.");
        _failed = _meter.CreateCounter<long>("actors.streams.delivery.failed", "{event}", "Events reported to a subscriber's OnErrorAsync as undeliverable.");
        _retries = _meter.CreateCounter<long>("actors.streams.delivery.retries", "{delivery}", "Deliveries retried (observer threw, observer missing, call failed).");
        _clientsDropped = _meter.CreateCounter<long>("actors.streams.client_subscriptions.dropped", "{subscription}", "Gateway clients' subscriptions dropped because no client pulled from them for ClientSubscriptionTimeout.");
        _meter.CreateObservableGauge("actors.streams.inflight", () => new Measurement<long>(Volatile.Read(ref _inFlight), _provider), "{event}", "Events read from the log and not yet acknowledged by their subscriber.");
    }

    /// <summary>The most events in flight at once since the provider started (the backpressure bound's witness).</summary>
    public long MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Client subscriptions dropped since the provider started.</summary>
    public long ClientSubscriptionsDropped => Interlocked.Read(ref _clientsDroppedTotal);

    public void ClientSubscriptionDropped()
    {
        Interlocked.Increment(ref _clientsDroppedTotal);
        _clientsDropped.Add(1, _provider);
    }

    public void Produced(int count) => _produced.Add(count, _provider);

    public void Delivered(int count) => _delivered.Add(count, _provider);

    /// <summary>Events reported to a subscriber as undeliverable since the provider started.</summary>
    public long DeliveryFailures => Interlocked.Read(ref _failedTotal);

    public void Failed(int count)
    {
        Interlocked.Add(ref _failedTotal, count);
        _failed.Add(count, _provider);
    }

    public void Retried() => _retries.Add(1, _provider);

    public void EnterFlight(int count)
    {
        long now = Interlocked.Add(ref _inFlight, count);
        long max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }
    }

    public void LeaveFlight(int count) => Interlocked.Add(ref _inFlight, -count);

    public void Dispose() => _meter.Dispose();
}
