using Actors.Wal;

namespace Actors.Orleans.Silo.Options;

/// <summary>
/// The silo's settings: section <c>Actors</c> of <c>appsettings.json</c>, overridden by <c>ACTORS__...</c> environment
/// variables (<c>ACTORS__DATADIRECTORY</c>, <c>ACTORS__GATEWAYPORT</c>, ...) and the command line (<c>--Actors:HttpPort=0</c>).
/// </summary>
/// <remarks>A port of 0 takes a free port at start; the startup log line names the ports taken.</remarks>
public sealed class ActorsSiloOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Actors";

    /// <summary>The default silo-to-silo port.</summary>
    public const int DefaultSiloPort = 11111;

    /// <summary>The default gateway (client) port.</summary>
    public const int DefaultGatewayPort = 30000;

    /// <summary>The default HTTP port (health, metrics, dashboard).</summary>
    public const int DefaultHttpPort = 8080;

    /// <summary>The data directory (created when missing); the log lives in its <c>wal</c> subdirectory. Relative paths are resolved against the working directory. Default <c>data</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Orleans's cluster id. Default <c>actors</c>.</summary>
    public string ClusterId { get; set; } = "actors";

    /// <summary>Orleans's service id (part of every grain's storage identity). Default <c>actors</c>.</summary>
    public string ServiceId { get; set; } = "actors";

    /// <summary>The silo-to-silo port on the loopback address; 0 takes a free port. Default <see cref="DefaultSiloPort"/>.</summary>
    public int SiloPort { get; set; } = DefaultSiloPort;

    /// <summary>The gateway port clients connect to; 0 takes a free port. Default <see cref="DefaultGatewayPort"/>.</summary>
    public int GatewayPort { get; set; } = DefaultGatewayPort;

    /// <summary>The HTTP port of health, metrics and dashboard; 0 takes a free port. Default <see cref="DefaultHttpPort"/>.</summary>
    public int HttpPort { get; set; } = DefaultHttpPort;

    /// <summary>The address HTTP listens on. Default <c>127.0.0.1</c>; <c>0.0.0.0</c> in a container.</summary>
    public string HttpBindAddress { get; set; } = "127.0.0.1";

    /// <summary>When a write is acknowledged (<see cref="Wal.SyncPolicy"/>). Default <see cref="SyncPolicy.Always"/>: after its fsync.</summary>
    public SyncPolicy SyncPolicy { get; set; } = SyncPolicy.Always;

    /// <summary>The size of each log segment file in bytes. Default 64 MiB.</summary>
    public long SegmentSizeBytes { get; set; } = WriteAheadLogOptions.DefaultSegmentSizeBytes;

    /// <summary>The health endpoint's path. Default <c>/health</c>.</summary>
    public string HealthPath { get; set; } = "/health";

    /// <summary>The Prometheus scraping endpoint's path. Default <c>/metrics</c>.</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>Whether Orleans's dashboard is served. Default true.</summary>
    public bool DashboardEnabled { get; set; } = true;

    /// <summary>The dashboard's path. Default <c>/dashboard</c>.</summary>
    public string DashboardPath { get; set; } = "/dashboard";

    /// <summary>The log's directory: <c>wal</c> under the full <see cref="DataDirectory"/>.</summary>
    public string LogDirectory => Path.Combine(Path.GetFullPath(DataDirectory), "wal");
}
