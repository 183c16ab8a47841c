using System.Diagnostics.Metrics;

namespace Actors.Hosting.Gateway;

/// <summary>All gateway metrics (meter <c>Actors.Gateway</c>), visible to <c>dotnet-counters</c> and OpenTelemetry.</summary>
internal static class GatewayInstruments
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Actors.Gateway";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Connections accepted.</summary>
    public static readonly Counter<long> ConnectionsOpened = Meter.CreateCounter<long>("actors.gateway.connections.opened", "{connection}", "Client connections accepted.");

    /// <summary>Connections currently open.</summary>
    public static readonly UpDownCounter<long> ConnectionsActive = Meter.CreateUpDownCounter<long>("actors.gateway.connections.active", "{connection}", "Client connections currently open.");

    /// <summary>Connections closed by the gateway because of a protocol violation, a timeout or a rejected handshake (tag <c>reason</c>).</summary>
    public static readonly Counter<long> ConnectionsAborted = Meter.CreateCounter<long>("actors.gateway.connections.aborted", "{connection}", "Connections the gateway closed: protocol error, timeout, rejected handshake, limit.");

    /// <summary>Requests received.</summary>
    public static readonly Counter<long> Requests = Meter.CreateCounter<long>("actors.gateway.requests", "{request}", "Grain calls received through the gateway.");

    /// <summary>Requests answered with an error response.</summary>
    public static readonly Counter<long> RequestErrors = Meter.CreateCounter<long>("actors.gateway.requests.errors", "{request}", "Grain calls answered with an error.");

    /// <summary>Request duration from decode to response enqueued.</summary>
    public static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>("actors.gateway.request.duration", "ms", "Time from a request's arrival to its response.");
}
