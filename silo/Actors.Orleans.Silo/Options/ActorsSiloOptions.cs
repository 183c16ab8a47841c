using Actors.Wal;

namespace Actors.Orleans.Silo.Options;

/// <summary>
/// The silo's settings: section <c>Actors</c> of <c>appsettings.json</c>, overridden by <c>ACTORS__...</c> environment
/// variables (<c>ACTORS__DATADIRECTORY</c>, <c>ACTORS__GATEWAYPORT</c>, <c>ACTORS__GRAINASSEMBLIES__0</c>, ...) and the
/// command line (<c>--Actors:HttpPort=0</c>).
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

    /// <summary>The default HTTP port (health, metrics).</summary>
    public const int DefaultHttpPort = 8080;

    /// <summary>The default port of the dashboard's listener.</summary>
    public const int DefaultDashboardPort = 8081;

    /// <summary>The default replication factor.</summary>
    public const int DefaultReplicationFactor = 1;

    /// <summary>The data directory (created when missing); the log lives in its <c>wal</c> subdirectory. Relative paths are resolved against the working directory. Default <c>data</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Orleans's cluster id. Default <c>actors</c>.</summary>
    public string ClusterId { get; set; } = "actors";

    /// <summary>Orleans's service id (part of every grain's storage identity). Default <c>actors</c>.</summary>
    public string ServiceId { get; set; } = "actors";

    /// <summary>The silo's name in Orleans's membership and logs. Default empty: Orleans's own default (with <see cref="KubernetesHosting"/>, the pod's name).</summary>
    public string SiloName { get; set; } = "";

    /// <summary>
    /// The address the silo-to-silo and gateway ports listen on. Default <c>127.0.0.1</c>: this machine only;
    /// <c>0.0.0.0</c> in a container.
    /// </summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The address other silos and clients are told to reach this silo at (Orleans's advertised address): an IP
    /// address, or a host name resolved at start (its first IPv4 address). Default empty: <see cref="BindAddress"/>
    /// when that is a specific address; for <c>0.0.0.0</c>, this machine's host name resolved (a container's
    /// hostname resolves to its address on the container network).
    /// </summary>
    public string AdvertisedAddress { get; set; } = "";

    /// <summary>The silo-to-silo port; 0 takes a free port. Default <see cref="DefaultSiloPort"/>.</summary>
    public int SiloPort { get; set; } = DefaultSiloPort;

    /// <summary>The gateway port clients connect to (on <see cref="BindAddress"/>); 0 takes a free port. Default <see cref="DefaultGatewayPort"/>.</summary>
    public int GatewayPort { get; set; } = DefaultGatewayPort;

    /// <summary>
    /// The port the silo-to-silo listener binds when it differs from the advertised <see cref="SiloPort"/>: behind a
    /// port mapping or a proxy that forwards the advertised port to this one (scripts/cluster-link-cut.sh). Default
    /// empty: <see cref="SiloPort"/>.
    /// </summary>
    public int? SiloListeningPort { get; set; }

    /// <summary>The port the gateway listener binds when it differs from the advertised <see cref="GatewayPort"/>. Default empty: <see cref="GatewayPort"/>.</summary>
    public int? GatewayListeningPort { get; set; }

    /// <summary>The HTTP port of health and metrics; 0 takes a free port. Default <see cref="DefaultHttpPort"/>.</summary>
    public int HttpPort { get; set; } = DefaultHttpPort;

    /// <summary>The address HTTP listens on. Default <c>127.0.0.1</c>; <c>0.0.0.0</c> in a container.</summary>
    public string HttpBindAddress { get; set; } = "127.0.0.1";

    /// <summary>The health endpoint's path. Default <c>/health</c>.</summary>
    public string HealthPath { get; set; } = "/health";

    /// <summary>The Prometheus scraping endpoint's path. Default <c>/metrics</c>.</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>Whether Orleans's dashboard is served. Default true.</summary>
    public bool DashboardEnabled { get; set; } = true;

    /// <summary>The dashboard's path. Default <c>/dashboard</c>.</summary>
    public string DashboardPath { get; set; } = "/dashboard";

    /// <summary>
    /// The address of the dashboard's own HTTP listener. Default <c>127.0.0.1</c>: the dashboard has no
    /// authentication, so it is reachable from this machine (or container) only unless an operator sets
    /// <c>0.0.0.0</c> on purpose. Its paths answer 404 on the health port.
    /// </summary>
    public string DashboardBindAddress { get; set; } = "127.0.0.1";

    /// <summary>The dashboard listener's port; 0 takes a free port. Default <see cref="DefaultDashboardPort"/>.</summary>
    public int DashboardPort { get; set; } = DefaultDashboardPort;

    /// <summary>
    /// The directory holding the grain assemblies to load (their Orleans generated code is registered), resolved
    /// against the working directory. Default empty: no grains beyond the host's own. The container image sets
    /// <c>/app/grains</c>.
    /// </summary>
    public string GrainsDirectory { get; set; } = "";

    /// <summary>
    /// The file names, in <see cref="GrainsDirectory"/>, of the assemblies to load. Default empty: every <c>*.dll</c>
    /// there that the host does not already carry (its dependencies load from the directory when first needed).
    /// </summary>
    public IList<string> GrainAssemblies { get; } = [];

    /// <summary>
    /// A PostgreSQL connection string for Orleans's membership (Orleans's ADO.NET clustering, invariant
    /// <c>Npgsql</c>); the tables are created at start when missing. Default empty: localhost clustering, one silo.
    /// </summary>
    public string ClusteringConnectionString { get; set; } = "";

    /// <summary>
    /// A PostgreSQL connection string for the write-ahead log's replication between silos. Default empty: no
    /// replication (one silo serves storage). See <c>ReplicationSetup</c>.
    /// </summary>
    public string ReplicationConnectionString { get; set; } = "";

    /// <summary>How many silos hold each partition when <see cref="ReplicationConnectionString"/> is set. Default <see cref="DefaultReplicationFactor"/>.</summary>
    public int ReplicationFactor { get; set; } = DefaultReplicationFactor;

    /// <summary>Whether Orleans's Kubernetes hosting (Microsoft.Orleans.Hosting.Kubernetes) runs: pod name, namespace and address from the pod's environment, and pods that vanish declared dead. Default false.</summary>
    public bool KubernetesHosting { get; set; }

    /// <summary>
    /// The OTLP endpoint traces and metrics are exported to (for example <c>http://otel-collector:4317</c>). Default
    /// empty: no OTLP export unless the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable is set.
    /// </summary>
    public string OtlpEndpoint { get; set; } = "";

    /// <summary>Console logs as one JSON object per line (for container log collectors) instead of single-line text. Default false.</summary>
    public bool JsonConsoleLogs { get; set; }

    /// <summary>The log's directory: <c>wal</c> under the full <see cref="DataDirectory"/>.</summary>
    public string LogDirectory => Path.Combine(Path.GetFullPath(DataDirectory), "wal");
}
