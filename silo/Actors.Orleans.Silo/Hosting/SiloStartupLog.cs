using Actors.Orleans.Silo.Options;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Actors.Orleans.Silo.Hosting;

/// <summary>
/// The line a launcher reads to find the silo: "Actors Orleans silo started: data directory D, silo 127.0.0.1:S,
/// gateway 127.0.0.1:G, health http://A:H/health, metrics ..., dashboard ...".
/// </summary>
internal static partial class SiloStartupLog
{
    public static void Started(WebApplication app, ActorsSiloOptions options)
    {
        SiloEndpoints endpoints = app.Services.GetRequiredService<SiloEndpoints>();
        string http = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "(no http)";
        string dashboard = options.DashboardEnabled ? $"{http}{options.DashboardPath}/" : "off";
        LogStarted(app.Logger, Path.GetFullPath(options.DataDirectory), endpoints.SiloPort, endpoints.GatewayPort, $"{http}{options.HealthPath}", $"{http}{options.MetricsPath}", dashboard);
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

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Actors Orleans silo started: data directory {DataDirectory}, silo 127.0.0.1:{SiloPort}, gateway 127.0.0.1:{GatewayPort}, health {Health}, metrics {Metrics}, dashboard {Dashboard}")]
    private static partial void LogStarted(ILogger logger, string dataDirectory, int siloPort, int gatewayPort, string health, string metrics, string dashboard);
}
