using System.Net;
using Actors.Hosting;
using Actors.Hosting.Gateway;
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
    /// <summary>The switch that adds the stack trace to a startup error (which is otherwise one line).</summary>
    public const string VerboseSwitch = "--verbose";

    /// <summary>
    /// Runs the silo until it is stopped (SIGTERM/Ctrl+C) or, in cluster mode, declared dead by its cluster (exit code
    /// <see cref="SiloClustering.DeclaredDeadExitCode"/>). Returns the process exit code. A configuration error
    /// (invalid or unconvertible setting, locked or unwritable data directory) prints one line naming the setting and
    /// returns 1; with <see cref="VerboseSwitch"/> the stack trace follows.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        bool verbose = args.Contains(VerboseSwitch, StringComparer.Ordinal);
        args = [.. args.Where(a => a != VerboseSwitch)];
        WebApplication app;
        try
        {
            app = Create(args);

            // Validate every option now, before the host starts: the host would log the same error with its stack trace first.
            app.Services.GetService<IStartupValidator>()?.Validate();
            await app.StartAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or OptionsValidationException or IOException or AggregateException)
        {
            string message = ex is AggregateException aggregate ? string.Join(" ", aggregate.InnerExceptions.Select(e => e.Message)) : ex.Message;
            await Console.Error.WriteLineAsync($"Actors silo failed to start: {message}{(verbose ? "" : $" ({VerboseSwitch} shows the stack trace)")}");
            if (verbose)
            {
                await Console.Error.WriteLineAsync(ex.ToString());
            }

            return 1;
        }

        await app.WaitForShutdownAsync();
        bool declaredDead = SiloClustering.WasDeclaredDead(app.Services);
        await app.DisposeAsync();
        if (declaredDead)
        {
            await Console.Error.WriteLineAsync($"Actors silo stopped: its cluster declared it dead (exit code {SiloClustering.DeclaredDeadExitCode}; restart it on the same data directory).");
            return SiloClustering.DeclaredDeadExitCode;
        }

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

        SiloHttpEndpoints http = SiloHttpEndpoints.Read(builder.Configuration);
        SiloHealthOptions health = http.Health;
        SiloTelemetryExport? telemetry = SiloTelemetry.ReadExport(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(health.BindAddress), health.Port));
        SiloDataDirectory dataDirectory = SiloDataDirectory.Open(builder.Configuration);
        builder.Services.AddSingleton(_ => dataDirectory);
        builder.Services.AddHealthChecks().AddCheck<DataDirectoryHealthCheck>("data-directory", tags: ["ready"]);
        http.AddServices(builder.Services);
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
        http.Map(app);
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(
            app.Logger,
            dataDirectory.Path,
            app.Services.GetRequiredService<IGatewayInfo>().ListeningEndPoint?.ToString() ?? "(not listening)",
            http.Describe(HealthAddresses(app)),
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

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Actors silo started: data directory {DataDirectory}, gateway {Gateway}, {OperatorEndpoints}health {HealthAddress}{HealthPath}")]
    private static partial void LogStarted(ILogger logger, string dataDirectory, string gateway, string operatorEndpoints, string healthAddress, string healthPath);
}
