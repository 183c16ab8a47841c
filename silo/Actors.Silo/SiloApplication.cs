using System.Net;
using Actors.Hosting;
using Actors.Hosting.Gateway;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Actors.Silo;

/// <summary>
/// Builds the silo process: configuration (appsettings.json, <c>ACTORS__...</c> environment variables, command line),
/// console logs, the Actors runtime with the gateway and <see cref="SiloComposition"/>, the data directory, and the
/// HTTP health endpoint (<see cref="SiloHealthOptions"/>).
/// </summary>
public static partial class SiloApplication
{
    /// <summary>Runs the silo until it is stopped (SIGTERM/Ctrl+C). Returns the process exit code; startup errors are logged as one clear line.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Create(args);
            await app.StartAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or OptionsValidationException or IOException)
        {
            await Console.Error.WriteLineAsync($"Actors silo failed to start: {ex.Message}");
            return 1;
        }

        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return 0;
    }

    /// <summary>Creates the silo application (not started). <paramref name="args"/> may override any setting, e.g. <c>--Actors:Gateway:Port=0</c>.</summary>
    /// <exception cref="InvalidOperationException">The data directory or the health options are invalid (the message names the setting).</exception>
    public static WebApplication Create(string[] args) => Create(args, configureServices: null);

    /// <summary>
    /// Creates the silo application (not started); <paramref name="configureServices"/> runs after all of the silo's
    /// registrations and before the container is built (tests replace services there, e.g. the log factory).
    /// </summary>
    /// <exception cref="InvalidOperationException">The data directory is invalid or locked (the message names the setting).</exception>
    /// <exception cref="OptionsValidationException">The health or telemetry options are invalid (the message names the setting).</exception>
    public static WebApplication Create(string[] args, Action<IServiceCollection>? configureServices)
    {
        // appsettings.json is read next to the executable, whatever the working directory.
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });

        SiloHealthOptions health = builder.Configuration.GetSection(SiloHealthOptions.SectionName).Get<SiloHealthOptions>() ?? new SiloHealthOptions();
        ValidateOptionsResult healthResult = new SiloHealthOptionsValidator().Validate(Options.DefaultName, health);
        if (healthResult.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SiloHealthOptions), healthResult.Failures);
        }

        SiloTelemetryExport? telemetry = SiloTelemetry.ReadExport(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(health.BindAddress), health.Port));
        SiloDataDirectory dataDirectory = SiloDataDirectory.Open(builder.Configuration);
        builder.Services.AddSingleton(_ => dataDirectory);
        builder.Services.AddHealthChecks().AddCheck<DataDirectoryHealthCheck>("data-directory", tags: ["ready"]);
        builder.UseActors(silo =>
        {
            silo.AddGateway(builder.Configuration.GetSection("Actors:Gateway"));
            SiloComposition.Configure(silo, dataDirectory);
        });

        // Start the hosted services concurrently: each still starts in registration order up to its first await, but
        // the HTTP server no longer waits for log recovery, so /health answers (503, "recovery running") meanwhile.
        builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        if (telemetry is not null)
        {
            string serviceName = builder.Configuration["Actors:SiloName"] is { Length: > 0 } siloName ? siloName : "actors-silo";
            builder.Services.AddSingleton(_ => SiloTelemetry.CreateMeterProvider(telemetry, serviceName));
        }

        configureServices?.Invoke(builder.Services);

        WebApplication app = builder.Build();
        // Resolve the factory-registered singleton now, so the container owns it and releases the lock when disposed.
        _ = app.Services.GetRequiredService<SiloDataDirectory>();
        // Likewise the meter provider (when OTLP export is configured): it listens from now on and flushes when disposed.
        _ = app.Services.GetService<OpenTelemetry.Metrics.MeterProvider>();
        app.MapHealthChecks(health.Path, new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync });
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(
            app.Logger,
            dataDirectory.Path,
            app.Services.GetRequiredService<IGatewayInfo>().ListeningEndPoint?.ToString() ?? "(not listening)",
            string.Join(", ", HealthAddresses(app)),
            health.Path));
        return app;
    }

    /// <summary>The addresses the health endpoint listens on (with actual ports).</summary>
    public static IReadOnlyList<string> HealthAddresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Actors silo started: data directory {DataDirectory}, gateway {Gateway}, health {HealthAddress}{HealthPath}")]
    private static partial void LogStarted(ILogger logger, string dataDirectory, string gateway, string healthAddress, string healthPath);
}
