using System.Diagnostics.Metrics;
using Actors.Persistence.Wal.Tests.Support;

namespace Actors.Persistence.Wal.Tests.Diagnostics;

public sealed class PersistenceInstrumentsTests
{
    [Fact]
    public async Task WriteAsync_StateWritesAndCheckpoint_AreCountedForTheStore()
    {
        string storeName = "metrics-" + Guid.NewGuid().ToString("N");
        var measurements = new List<(string Instrument, long Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Actors.Persistence.Wal")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "store" && Equals(tag.Value, storeName))
                {
                    lock (measurements)
                    {
                        measurements.Add((instrument.Name, value));
                    }
                }
            }
        });
        listener.Start();

        var factory = new SharedLogFactory();
        var options = new WriteAheadLogStoreOptions { Directory = "/in-memory" };
        var store = new GrainStateStore(new WriteAheadLogStore(storeName, options, factory));
        GrainId grain = GrainId.Create("metrics", "1");
        var policy = new CheckpointPolicy(2, 0, false);
        await store.WriteAsync(grain, [new StateChange("a", typeof(int), 1, null, false), new StateChange("b", typeof(int), 2, null, false)], policy);

        lock (measurements)
        {
            Assert.Contains(("actors.persistence.state_writes", 2L), measurements);
            Assert.Contains(("actors.persistence.checkpoints", 1L), measurements);
            Assert.Contains(("actors.persistence.replayed", 0L), measurements);
        }
    }
}
