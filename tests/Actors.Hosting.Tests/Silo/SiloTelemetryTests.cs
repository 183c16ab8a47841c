using Actors.Demo.Grains.Accounts;
using Actors.Hosting.Gateway;
using Actors.Hosting.Tests.Gateway;
using Actors.Runtime;
using Actors.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using Xunit.Abstractions;

namespace Actors.Hosting.Tests.Silo;

/// <summary>The silo's OpenTelemetry metrics export (<see cref="SiloTelemetry"/>).</summary>
public sealed class SiloTelemetryTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "actors-silo-telemetry-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task OtlpEndpointConfigured_SiloRunning_ExportsActorsInstrumentsOverHttpProtobuf()
    {
        await using OtlpReceiver collector = await OtlpReceiver.StartAsync();
        await using WebApplication silo = SiloApplication.Create(
        [
            $"--Actors:DataDirectory={_directory}",
            "--Actors:Gateway:Port=0",
            "--Actors:Health:Port=0",
            $"--Actors:Telemetry:OtlpEndpoint={collector.BaseAddress}",
            "--Actors:Telemetry:ExportInterval=00:00:00.100",
        ]);
        await silo.StartAsync();

        // Observable gauges of the engine and the runtime report on every collection, without any load.
        await Await.UntilAsync(
            () => collector.Received("actors.wal.segments") && collector.Received("actors.turns.queued"),
            () => $"an OTLP export to {collector.BaseAddress}/v1/metrics naming actors.wal.segments and actors.turns.queued ({collector.Exports} exports received)");
        Assert.True(collector.Received("Actors.Wal"), "the export names the meter (instrumentation scope) Actors.Wal");
        await silo.StopAsync();
    }

    [Fact]
    public async Task MetricsEventSource_EnabledAsDotnetCountersDoes_PublishesInstrumentsOfAllFourMeters()
    {
        using var listener = new MetricsEventSourceListener(SiloTelemetry.MeterNames);
        await using WebApplication silo = SiloApplication.Create(
            [$"--Actors:DataDirectory={_directory}", "--Actors:Gateway:Port=0", "--Actors:Health:Port=0", "--Actors:Gateway:Secret=s"]);
        await silo.StartAsync();
        System.Net.IPEndPoint gateway = silo.Services.GetRequiredService<IGatewayInfo>().ListeningEndPoint!;
        await using Actors.Client.IClusterClient client = new Actors.Client.ClusterClientBuilder().UseGateway(gateway).UseSecret("s").Build();
        await client.ConnectAsync();
        IBankAccountGrain account = client.GetGrain<IBankAccountGrain>("metrics-1");
        string[] expected =
        [
            "Actors.Wal/actors.wal.appends", "Actors.Wal/actors.wal.segments", "Actors.Persistence.Wal/actors.persistence.events",
            "Actors.Runtime/actors.calls", "Actors.Gateway/actors.gateway.requests",
        ];

        int deposits = 0;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!expected.All(listener.Published.ContainsKey))
        {
            Assert.False(limit.IsCancellationRequested,
                $"Waited 20 s ({deposits} deposits) for the metrics EventSource to publish {string.Join(", ", expected.Where(e => !listener.Published.ContainsKey(e)))}; "
                + $"published: {string.Join(", ", listener.Published.Keys.Order(StringComparer.Ordinal))}");
            await account.Deposit(1, $"d{deposits++}");
        }

        foreach ((string instrument, string evt) in listener.Published.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{instrument} ({evt})");
        }

        await silo.StopAsync();
    }

    [Fact]
    public void ReadExport_NoEndpointAnywhere_ReturnsNull()
    {
        Assert.Null(SiloTelemetry.ReadExport(Configuration([])));
    }

    [Fact]
    public void ReadExport_ActorsEndpoint_HttpProtobufToV1Metrics()
    {
        SiloTelemetryExport? export = SiloTelemetry.ReadExport(Configuration(new()
        {
            ["Actors:Telemetry:OtlpEndpoint"] = "http://collector:4318",
            ["Actors:Telemetry:ExportInterval"] = "00:00:05",
            [SiloTelemetryOptions.StandardEndpointVariable] = "http://ignored:4318",
        }));

        Assert.NotNull(export);
        Assert.Equal(new Uri("http://collector:4318/v1/metrics"), export.Endpoint);
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, export.Protocol);
        Assert.Equal(TimeSpan.FromSeconds(5), export.ExportInterval);
    }

    [Fact]
    public void ReadExport_StandardOtelVariablesOnly_HonoursEndpointAndGrpc()
    {
        SiloTelemetryExport? export = SiloTelemetry.ReadExport(Configuration(new()
        {
            [SiloTelemetryOptions.StandardEndpointVariable] = "http://collector:4317",
            [SiloTelemetryOptions.StandardProtocolVariable] = "grpc",
        }));

        Assert.NotNull(export);
        Assert.Equal(new Uri("http://collector:4317"), export.Endpoint);
        Assert.Equal(OtlpExportProtocol.Grpc, export.Protocol);
    }

    [Theory]
    [InlineData("Actors:Telemetry:OtlpEndpoint", "collector:4318", "Actors:Telemetry:OtlpEndpoint")]
    [InlineData("Actors:Telemetry:Protocol", "udp", "Actors:Telemetry:Protocol")]
    [InlineData("Actors:Telemetry:ExportInterval", "00:00:00", "Actors:Telemetry:ExportInterval")]
    [InlineData(SiloTelemetryOptions.StandardEndpointVariable, "not a uri", SiloTelemetryOptions.StandardEndpointVariable)]
    public void ReadExport_InvalidSetting_FailsNamingIt(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key != SiloTelemetryOptions.StandardEndpointVariable)
        {
            settings[SiloTelemetryOptions.StandardEndpointVariable] = "http://collector:4318";
        }

        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(() => SiloTelemetry.ReadExport(Configuration(settings)));
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_InvalidTelemetryEndpoint_FailsNamingSetting()
    {
        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(() => SiloApplication.Create(
            [$"--Actors:DataDirectory={_directory}", "--Actors:Health:Port=0", "--Actors:Telemetry:OtlpEndpoint=ftp://x"]));
        Assert.Contains("Actors:Telemetry:OtlpEndpoint", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MeterNames_MatchTheMetersOfRuntimeAndGateway()
    {
        Assert.Contains(RuntimeMeter.Name, SiloTelemetry.MeterNames);
        Assert.Contains(GatewayInstruments.MeterName, SiloTelemetry.MeterNames);
        Assert.Contains("Actors.Wal", SiloTelemetry.MeterNames);
        Assert.Contains("Actors.Persistence.Wal", SiloTelemetry.MeterNames);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
