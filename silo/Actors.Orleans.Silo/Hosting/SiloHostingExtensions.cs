using System.Net;
using System.Reflection;
using Actors.Orleans.Silo.Clustering;
using Actors.Orleans.Silo.Dashboard;
using Actors.Orleans.Silo.Grains;
using Actors.Orleans.Silo.Health;
using Actors.Orleans.Silo.Options;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using Orleans.Runtime;

namespace Actors.Orleans.Silo.Hosting;

/// <summary>
/// The silo's wiring: settings, console logs, the grain assemblies, Orleans with its membership (localhost or
/// PostgreSQL), TLS on its links when configured, and the write-ahead log as its default storage, health checks, OpenTelemetry metrics (and OTLP) and
/// Orleans's dashboard on its own listener; then the HTTP endpoints.
/// </summary>
public static class SiloHostingExtensions
{
    /// <summary>Configures the silo on <paramref name="builder"/>.</summary>
    /// <exception cref="OptionsValidationException">A setting of section <c>Actors</c> is invalid; the message names it.</exception>
    /// <exception cref="SiloStartupException">A TLS certificate cannot be loaded; the message names the setting.</exception>
    public static WebApplicationBuilder AddActorsOrleansSilo(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ActorsSiloOptions options = SiloSettings.Read(builder.Configuration);
        SiloTlsOptions tls = SiloTlsExtensions.Read(builder.Configuration);
        SiloEndpoints endpoints = SiloEndpoints.Resolve(options);
        SiloSettings.CreateDataDirectory(options);
        IReadOnlyList<Assembly> grains = GrainAssemblyLoader.Load(options);

        builder.Logging.AddSiloConsole(options);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(options.HttpBindAddress), options.HttpPort);
            if (options.DashboardEnabled)
            {
                kestrel.Listen(IPAddress.Parse(options.DashboardBindAddress), endpoints.DashboardPort);
            }
        });

        // The same settings as options, validated again when the host starts (for anything that resolves them later).
        builder.Services.AddSingleton<IValidateOptions<ActorsSiloOptions>, ActorsSiloOptionsValidator>();
        builder.Services.AddOptions<ActorsSiloOptions>().Bind(builder.Configuration.GetSection(ActorsSiloOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton(endpoints);

        // Hosted services start one after the other in the order registered: the membership tables before Orleans.
        if (options.ClusteringConnectionString.Length > 0)
        {
            builder.Services.AddHostedService(sp => new OrleansClusteringSchema(options, sp.GetRequiredService<ILogger<OrleansClusteringSchema>>()));
        }

        builder.UseOrleans(silo =>
        {
            silo.AddSiloClustering(options, endpoints);
            silo.AddSiloTls(tls);
            silo.AddGrainAssemblies(grains);
            silo.AddSiloStorage(options, builder.Configuration);
            silo.AddSiloReplication(options);
            if (SiloTelemetryExtensions.OtlpEnabled(options))
            {
                silo.AddActivityPropagation();
            }

            if (options.DashboardEnabled)
            {
                silo.AddDashboard();
                silo.Services.AddHostedService<DashboardLogFigures>();
            }
        });

        // Orleans (and so the log's recovery) starts before Kestrel. Starting them concurrently would let /health
        // answer 503 during recovery, but Orleans's dashboard then fails to initialize (its host starts before the
        // silo is active), so HTTP answers only once the silo is up.
        builder.Services.AddSingleton(sp => new PauseWatch(
            sp.GetRequiredService<IClusterMembershipService>(), TimeProvider.System, sp.GetRequiredService<ILogger<PauseWatch>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PauseWatch>());
        builder.Services.AddHealthChecks()
            .AddWriteAheadLogHealthCheck()
            .AddCheck<SiloActiveHealthCheck>("silo");
        builder.Services.AddSiloTelemetry(options);
        return builder;
    }

    /// <summary>Maps /health, /metrics and the dashboard, and logs the startup line with the ports taken.</summary>
    public static WebApplication MapActorsOrleansSilo(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        ActorsSiloOptions options = app.Services.GetRequiredService<IOptions<ActorsSiloOptions>>().Value;
        if (options.DashboardEnabled)
        {
            app.UseDashboardListener(options, app.Services.GetRequiredService<SiloEndpoints>());
        }

        app.MapHealthChecks(options.HealthPath, new HealthCheckOptions { ResponseWriter = HealthJson.WriteAsync });
        app.MapPrometheusScrapingEndpoint(options.MetricsPath);
        if (options.DashboardEnabled)
        {
            app.MapOrleansDashboard(routePrefix: options.DashboardPath);
        }

        app.Lifetime.ApplicationStarted.Register(() => SiloStartupLog.Started(app, options));
        return app;
    }

    /// <summary>
    /// Runs the silo until SIGTERM or Ctrl+C. Returns 0 after a graceful stop, 1 when it could not start (an invalid
    /// setting, a locked or unreadable data directory, a port in use), printed as one line naming the cause.
    /// </summary>
    public static async Task<int> RunActorsOrleansSiloAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await app.StartAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync($"Actors Orleans silo failed to start: {SiloStartupLog.Describe(ex)}");
            await app.DisposeAsync();
            return 1;
        }

        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return 0;
    }
}
