using System.Diagnostics.Metrics;
using Actors.Hosting;
using Actors.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.RuntimeBenchmarks;

/// <summary>An in-process silo with the benchmark grain, and what the benchmarks read from it (public contracts only).</summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly MeterListener _listener = new();
    private long _activations;
    private long _timeouts;

    private BenchSilo(IHost host)
    {
        _host = host;
        Factory = host.Services.GetRequiredService<IGrainFactory>();
        StuckMonitor = host.Services.GetRequiredService<IStuckGrainMonitor>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RuntimeMeter.Name && instrument.Name is "actors.activations.count" or "actors.calls.timeouts")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "actors.activations.count")
            {
                Interlocked.Add(ref _activations, value);
            }
            else
            {
                Interlocked.Add(ref _timeouts, value);
            }
        });
        _listener.Start();
    }

    public IGrainFactory Factory { get; }

    public IStuckGrainMonitor StuckMonitor { get; }

    /// <summary>Live activations, from the runtime's activation counter.</summary>
    public long Activations => Interlocked.Read(ref _activations);

    /// <summary>Calls failed by the response timeout, from the runtime's counter.</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    public IServiceProvider Services => _host.Services;

    /// <summary>Starts a silo; <paramref name="settings"/> are configuration keys under <c>Actors</c> (for example <c>CollectionAge</c>).</summary>
    public static async Task<BenchSilo> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        foreach ((string key, string value) in settings)
        {
            builder.Configuration[$"{SiloOptions.SectionName}:{key}"] = value;
        }

        builder.UseActors(silo => silo.AddGrain<BenchGrain>());
        IHost host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host);
    }

    public IBenchGrain Grain(long key) => Factory.GetGrain<IBenchGrain>(key);

    /// <summary>Activates grains 0..count-1 with <paramref name="concurrency"/> calls in flight.</summary>
    public async Task ActivateAsync(int count, int concurrency = 256)
    {
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int key;
            while ((key = Interlocked.Increment(ref next)) < count)
            {
                await Grain(key).Ping();
            }
        }));
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _host.StopAsync();
        _host.Dispose();
    }
}
