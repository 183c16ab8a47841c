using System.Net;
using Actors.Hosting.Dashboard;
using Actors.Hosting.Gateway;
using Actors.Hosting.Metrics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Actors.Silo;

/// <summary>
/// What the silo serves over HTTP on its health port (<see cref="SiloHealthOptions"/>): <c>/health</c> (always),
/// Prometheus <c>/metrics</c> (<see cref="MetricsOptions"/>, on by default) and the dashboard
/// (<see cref="DashboardOptions"/>, off by default). Every setting is validated before the host is built, so a bad
/// value stops the silo with one line naming it.
/// </summary>
internal sealed class SiloHttpEndpoints
{
    private SiloHttpEndpoints(SiloHealthOptions health, MetricsOptions metrics, DashboardOptions dashboard)
    {
        Health = health;
        Metrics = metrics;
        Dashboard = dashboard;
    }

    public SiloHealthOptions Health { get; }

    public MetricsOptions Metrics { get; }

    public DashboardOptions Dashboard { get; }

    /// <summary>Reads and validates the HTTP settings.</summary>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names it.</exception>
    public static SiloHttpEndpoints Read(IConfiguration configuration)
    {
        SiloHealthOptions health = Validated(configuration, SiloHealthOptions.SectionName, new SiloHealthOptionsValidator());
        MetricsOptions metrics = Validated(configuration, MetricsOptions.SectionName, new MetricsOptionsValidator());
        DashboardOptions dashboard = Validated(configuration, DashboardOptions.SectionName, new DashboardOptionsValidator());
        string? secret = configuration.GetSection("Actors:Gateway").Get<GatewayOptions>()?.Secret;
        if (dashboard.Enabled && !IPAddress.IsLoopback(IPAddress.Parse(health.BindAddress)) && string.IsNullOrEmpty(secret))
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(DashboardOptions),
                [$"{DashboardOptions.SectionName}:Enabled is true and {SiloHealthOptions.SectionName}:BindAddress {health.BindAddress} is reachable beyond loopback, "
                    + "but Actors:Gateway:Secret is not set: set the secret (the dashboard asks for it), bind to 127.0.0.1, or disable the dashboard."]);
        }

        return new SiloHttpEndpoints(health, metrics, dashboard);
    }

    /// <summary>Registers the services the endpoints need (the metrics collector always: OTLP and the dashboard share it).</summary>
    public void AddServices(IServiceCollection services)
    {
        services.AddActorsMetrics(o =>
        {
            o.Enabled = Metrics.Enabled;
            o.Path = Metrics.Path;
            o.Meters = Metrics.Meters;
        });
        if (Dashboard.Enabled)
        {
            services.AddActorsDashboard(o =>
            {
                o.Enabled = true;
                o.Path = Dashboard.Path;
                o.RefreshInterval = Dashboard.RefreshInterval;
            });
        }
    }

    /// <summary>Maps the endpoints; starts the metrics collector now, before the log opens, so recovery is measured.</summary>
    public void Map(WebApplication app)
    {
        _ = app.Services.GetRequiredService<MetricsCollector>();
        app.MapHealthChecks(Health.Path, new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync });
        if (Metrics.Enabled)
        {
            app.MapActorsMetrics(Metrics.Path);
        }

        if (Dashboard.Enabled)
        {
            app.MapActorsDashboard(Dashboard.Path);
        }
    }

    /// <summary>The metrics and dashboard URLs for the startup log line (each followed by ", "), or empty.</summary>
    public string Describe(IReadOnlyList<string> addresses)
    {
        string address = addresses.Count > 0 ? addresses[0] : $"http://{Health.BindAddress}:{Health.Port}";
        return (Metrics.Enabled ? $"metrics {address}{Metrics.Path}, " : "") + (Dashboard.Enabled ? $"dashboard {address}{Dashboard.Path}/, " : "");
    }

    private static T Validated<T>(IConfiguration configuration, string section, IValidateOptions<T> validator)
        where T : class, new()
    {
        T options = configuration.GetSection(section).Get<T>() ?? new T();
        ValidateOptionsResult result = validator.Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(T), result.Failures) : options;
    }
}
