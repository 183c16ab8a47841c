using System.Diagnostics.Metrics;
using System.Globalization;
using Actors.Runtime;

namespace Actors.RuntimeBenchmarks;

/// <summary>Process CPU while N activations are resident and no call is made (optionally with every runtime gauge polled each second).</summary>
internal static class IdleBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        int count = options.Int("activations", 1_000_000);
        TimeSpan window = options.Seconds("seconds", 30);
        bool metrics = options.Int("metrics", 0) != 0;
        await using BenchSilo silo = await BenchSilo.StartAsync(new Dictionary<string, string> { ["CollectionAge"] = "01:00:00" });
        await silo.ActivateAsync(count);
        ProcessStats.LiveHeapBytes();
        await Task.Delay(TimeSpan.FromSeconds(5));

        using var listener = new MeterListener();
        long observations = 0;
        if (metrics)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RuntimeMeter.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, _, _, _) => observations++);
            listener.SetMeasurementEventCallback<int>((_, _, _, _) => observations++);
            listener.SetMeasurementEventCallback<double>((_, _, _, _) => observations++);
            listener.Start();
        }

        TimeSpan cpuBefore = ProcessStats.CpuTime;
        int gcBefore = ProcessStats.Collections;
        DateTime end = DateTime.UtcNow + window;
        while (DateTime.UtcNow < end)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (metrics)
            {
                listener.RecordObservableInstruments();
            }
        }

        TimeSpan cpu = ProcessStats.CpuTime - cpuBefore;
        BenchmarkCommands.Print(string.Create(CultureInfo.InvariantCulture,
            $"idle: {silo.Activations:N0} activations, {window.TotalSeconds:0} s{(metrics ? $", metrics polled each second ({observations} observations)" : "")}: CPU {cpu.TotalMilliseconds:0} ms = {100 * cpu / window:0.00}% of a core; {ProcessStats.Collections - gcBefore} gen0 GCs; load average {ProcessStats.LoadAverage}"));
        return 0;
    }
}
