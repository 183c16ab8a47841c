using Actors.Demo.Grains.Accounts;
using Actors.Demo.Grains.Customers;
using Actors.Hosting.Metrics.Prometheus;
using Actors.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Actors.Hosting.Tests.Metrics;

/// <summary>The silo executable's <c>/metrics</c>, scraped over HTTP and parsed strictly.</summary>
[Collection(ProcessMetricsCollection.Name)]
public sealed class SiloMetricsEndpointTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "actors-metrics-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Metrics_AfterGrainCalls_ExposesEveryInstrumentOfTheSiloInStrictTextFormat()
    {
        await using WebApplication silo = SiloApplication.Create([$"--Actors:DataDirectory={_directory}", "--Actors:Gateway:Port=0", "--Actors:Health:Port=0"]);
        await silo.StartAsync();
        IGrainFactory grains = silo.Services.GetRequiredService<IGrainFactory>();
        for (int i = 0; i < 110; i++)
        {
            await grains.GetGrain<IBankAccountGrain>("m-0").Deposit(5, $"r{i}");
        }

        await grains.GetGrain<IBankAccountGrain>("m-1").Deposit(5, "one");
        await grains.GetGrain<IBankAccountGrain>("m-2").Deposit(5, "two");

        await grains.GetGrain<ICustomerGrain>("m-c").Rename("Ada");
        await Assert.ThrowsAsync<InsufficientFundsException>(() => grains.GetGrain<IBankAccountGrain>("m-0").Withdraw(1_000_000, "too much"));

        using var http = new HttpClient();
        using HttpResponseMessage response = await http.GetAsync(SiloApplication.HealthAddresses(silo).Single() + "/metrics");
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal(PrometheusTextFormat.ContentType, response.Content.Headers.ContentType!.ToString());
        IReadOnlyDictionary<string, PrometheusFamily> families = PrometheusTextParser.Parse(text);

        // Every instrument the silo's four meters create that this workload exercises, by its Prometheus name.
        (string Name, string Type)[] expected =
        [
            ("actors_wal_appends_total", "counter"), ("actors_wal_bytes_total", "counter"), ("actors_wal_commit_batches", "histogram"),
            ("actors_wal_fsync_duration_milliseconds", "histogram"), ("actors_wal_recovery_duration_milliseconds", "histogram"),
            ("actors_wal_segments", "gauge"), ("actors_wal_live_ratio", "gauge"), ("actors_wal_live_bytes", "gauge"), ("actors_wal_reclaimable_bytes", "gauge"),
            ("actors_persistence_events_total", "counter"), ("actors_persistence_state_writes_total", "counter"), ("actors_persistence_checkpoints_total", "counter"),
            ("actors_persistence_replayed_total", "counter"), ("actors_persistence_load_duration_milliseconds", "histogram"),
            ("actors_activations_created_total", "counter"), ("actors_activations_count", "gauge"), ("actors_calls_total", "counter"),
            ("actors_calls_failed_total", "counter"), ("actors_calls_duration_milliseconds", "histogram"), ("actors_turns_queued", "gauge"),
            ("dotnet_process_cpu_time_seconds_total", "counter"), ("dotnet_process_memory_working_set_bytes", "gauge"),
        ];
        foreach ((string name, string type) in expected)
        {
            Assert.True(families.TryGetValue(name, out PrometheusFamily? family), $"/metrics lacks {name}");
            Assert.Equal(type, family!.Type);
            Assert.False(string.IsNullOrEmpty(family.Help), $"{name} has HELP");
        }

        string directory = Path.Combine(_directory, "wal");
        Assert.True(families["actors_activations_count"].Samples.Single(s => s.Labels["grain_type"] == "account").Value >= 3);
        Assert.True(families["actors_persistence_checkpoints_total"].Samples.Single(s => s.Labels["store"] == "Default").Value >= 1, "110 deposits into one account, which checkpoints every 100 events");
        Assert.True(families["actors_calls_failed_total"].Samples.Single().Value >= 1, "the refused withdrawal");
        PrometheusSample fsyncs = families["actors_wal_fsync_duration_milliseconds"].Samples.Single(s => s.Name.EndsWith("_count", StringComparison.Ordinal) && s.Labels["wal_directory"] == directory);
        Assert.True(fsyncs.Value >= 1, "fsyncs counted for the silo's log");
        Assert.Contains("(unit: ms)", families["actors_wal_fsync_duration_milliseconds"].Help, StringComparison.Ordinal);
        output.WriteLine(string.Join('\n', text.Split('\n').Where(l => l.Contains("actors_wal_fsync", StringComparison.Ordinal) || l.Contains("actors_calls_total", StringComparison.Ordinal))));
        await silo.StopAsync();
    }
}
