using System.Diagnostics.Metrics;
using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;

namespace Actors.Runtime.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Call_ThreeCallsOneActivation_RecordsCallsDurationsAndActivation()
    {
        await using TestSilo silo = TestSilo.Start(s => s.AddGrain<CounterGrain>());
        Meter meter = silo.Runtime.Instruments.Meter;
        var totals = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(totals, instrument.Name, value));
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => Add(totals, instrument.Name, 1));
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Add(totals, instrument.Name, value));
        listener.Start();

        ICounterGrain grain = silo.Factory.GetGrain<ICounterGrain>("m");
        await grain.Increment();
        await grain.Increment();
        await grain.Increment();
        listener.RecordObservableInstruments();

        Assert.Equal(3, totals["actors.calls"]);
        Assert.Equal(3, totals["actors.calls.duration"]);
        Assert.Equal(1, totals["actors.activations.created"]);
        Assert.Equal(1, totals["actors.activations.count"]);
        Assert.Equal(0, totals["actors.turns.queued"]);
    }

    private static void Add(Dictionary<string, double> totals, string name, double value)
    {
        lock (totals)
        {
            totals[name] = totals.GetValueOrDefault(name) + value;
        }
    }
}
