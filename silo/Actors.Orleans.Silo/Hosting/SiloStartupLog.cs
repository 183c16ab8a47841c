using Actors.Orleans.Silo.Options;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Actors.Orleans.Silo.Hosting;

/// <summary>
/// The line a launcher reads to find the silo: "Actors Orleans silo started: data directory D, silo A:S, gateway A:G,
/// health http://B:H/health, metrics ..., dashboard ..." (A the advertised address).
/// </summary>
internal static partial class SiloStartupLog
{
    public static void Started(WebApplication app, ActorsSiloOptions options)
    {
        SiloEndpoints endpoints = app.Services.GetRequiredService<SiloEndpoints>();
        ICollection<string> addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        string http = addresses.FirstOrDefault(a => !options.DashboardEnabled || new Uri(a).Port != endpoints.DashboardPort) ?? "(no http)";
        string dashboard = options.DashboardEnabled && addresses.FirstOrDefault(a => new Uri(a).Port == endpoints.DashboardPort) is { } listener
            ? $"{listener}{options.DashboardPath}/"
            : "off";
        LogStarted(app.Logger, Path.GetFullPath(options.DataDirectory), endpoints.AdvertisedText, endpoints.SiloPort, endpoints.AdvertisedText, endpoints.GatewayPort, $"{http}{options.HealthPath}", $"{http}{options.MetricsPath}", dashboard);
    }

    /// <summary>One line: the exception's message and, when it differs, its root cause's; no stack trace.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Exception outer = exception;
        while (outer is AggregateException { InnerExceptions.Count: 1 } or OrleansLifecycleCanceledException or System.Reflection.TargetInvocationException
            && outer.InnerException is not null)
        {
            outer = outer.InnerException!;
        }

        Exception root = outer.GetBaseException();
        return root == outer || outer.Message.Contains(root.Message, StringComparison.Ordinal) ? outer.Message : $"{outer.Message} (cause: {root.Message})";
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Actors Orleans silo started: data directory {DataDirectory}, silo {SiloAddress}:{SiloPort}, gateway {GatewayAddress}:{GatewayPort}, health {Health}, metrics {Metrics}, dashboard {Dashboard}")]
    private static partial void LogStarted(ILogger logger, string dataDirectory, string siloAddress, int siloPort, string gatewayAddress, int gatewayPort, string health, string metrics, string dashboard);
}
