using System.Reflection;
using System.Text.Json;
using Actors.Hosting.Http;
using Actors.Hosting.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Actors.Hosting.Dashboard;

/// <summary>Serves the silo dashboard: the page, its scripts (uPlot bundled, nothing fetched from elsewhere) and its data.</summary>
public static class DashboardEndpointExtensions
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
    };

    /// <summary>
    /// Registers the dashboard's services: <see cref="DashboardOptions"/> (validated on start), the metrics collector
    /// (<see cref="MetricsEndpointExtensions.AddActorsMetrics"/>) and the built-in <c>Silos</c> panel.
    /// </summary>
    public static IServiceCollection AddActorsDashboard(this IServiceCollection services, Action<DashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<DashboardOptions> options = services.AddOptions<DashboardOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>());
        services.AddActorsMetrics();
        services.TryAddSingleton(TimeProvider.System);
        if (!services.Any(d => d.ImplementationType == typeof(SiloPanelSource)))
        {
            services.AddSingleton<IDashboardPanelSource, SiloPanelSource>();
        }

        return services;
    }

    /// <summary>
    /// Maps the dashboard under <paramref name="path"/>: the page at <c>{path}/</c>, its assets, and <c>{path}/data</c>
    /// (JSON, see <c>DashboardData</c>). Requests from beyond loopback need the gateway secret, and are refused when
    /// the silo has none (<see cref="SecretAccess"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapActorsDashboard(this IEndpointRouteBuilder endpoints, string path = DashboardOptions.DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string root = path.TrimEnd('/');
        // Routing treats "/dashboard" and "/dashboard/" alike; the page's relative URLs need the slash.
        endpoints.MapGet(root, (HttpContext context) => context.Request.Path.Value?.EndsWith('/') == true ? Asset("index.html") : Results.Redirect(root + "/"))
            .RequireSecretBeyondLoopback(refuseWithoutSecret: true);
        endpoints.MapGet(root + "/{file}", (string file) => Asset(file)).RequireSecretBeyondLoopback(refuseWithoutSecret: true);
        endpoints.MapGet(root + "/data", WriteDataAsync).RequireSecretBeyondLoopback(refuseWithoutSecret: true);
        return endpoints;
    }

    private static async Task WriteDataAsync(HttpContext context, MetricsCollector collector, IEnumerable<IDashboardPanelSource> sources, IOptions<DashboardOptions> options)
    {
        MetricsSnapshot snapshot = collector.Collect();
        List<DashboardPanel> panels = [];
        foreach (IDashboardPanelSource source in sources)
        {
            if (await source.GetPanelAsync(context.RequestAborted).ConfigureAwait(false) is { } panel)
            {
                panels.Add(panel);
            }
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        DashboardData.Write(json, snapshot, panels, options.Value.RefreshInterval);
    }

    private static IResult Asset(string file)
    {
        string extension = Path.GetExtension(file);
        Stream? stream = ContentTypes.TryGetValue(extension, out string? contentType)
            ? typeof(DashboardEndpointExtensions).Assembly.GetManifestResourceStream("dashboard/" + file)
            : null;
        return stream is null ? Results.NotFound() : Results.Stream(stream, contentType);
    }
}
