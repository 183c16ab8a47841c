using System.Diagnostics.Metrics;
using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;

namespace Actors.Runtime.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Call_ThreeCallsOneActivation_RecordsCallsDurationsAndActivationTaggedByGrainType()
    {
        await using TestSilo silo = TestSilo.Start(s => s.AddGrain<CounterGrain>());
        Meter meter = silo.Runtime.Instruments.Meter;
        var totals = new Dictionary<string, double>();
        var activationTypes = new List<object?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            Add(totals, instrument.Name, value);
            if (instrument.Name.StartsWith("actors.activations.", StringComparison.Ordinal))
            {
                lock (activationTypes)
                {
                    foreach (KeyValuePair<string, object?> tag in tags)
                    {
                        if (tag.Key == "grain.type")
                        {
                            activationTypes.Add(tag.Value);
                        }
                    }
                }
            }
        });
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
        Assert.Equal(["counter", "counter"], activationTypes);
    }

    private static void Add(Dictionary<string, double> totals, string name, double value)
    {
        lock (totals)
        {
            totals[name] = totals.GetValueOrDefault(name) + value;
        }
    }
}
