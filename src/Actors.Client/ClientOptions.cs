namespace Actors.Client;

/// <summary>
/// Options of a cluster client: gateway endpoints, shared secret, timeouts and the connect/reconnect policy.
/// Bound from the <c>Actors:Client</c> configuration section by <see cref="ClientHostingExtensions.UseActorsClient(Microsoft.Extensions.Hosting.IHostApplicationBuilder, Action{ClientOptions}?)"/>.
/// </summary>
/// <remarks>Validated by <see cref="ClientOptionsValidator"/>; a bad value fails with a message naming the setting.</remarks>
public sealed class ClientOptions
{
    /// <summary>The gateway used when <see cref="Gateways"/> is empty: the local silo's default gateway.</summary>
    public const string DefaultGateway = "127.0.0.1:30000";

    /// <summary>The default response timeout: 30 s.</summary>
    public static readonly TimeSpan DefaultResponseTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default time one connection attempt (TCP connect plus handshake) may take: 5 s.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The default number of rounds over all gateways before a connect fails: 3.</summary>
    public const int DefaultConnectAttempts = 3;

    /// <summary>The default pause between connect rounds: 500 ms.</summary>
    public static readonly TimeSpan DefaultConnectRetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>The default largest frame sent or accepted: 4 MiB (the gateway's default too).</summary>
    public const int DefaultMaxFrameBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Gateway endpoints as <c>host:port</c> (<c>127.0.0.1:30000</c>, <c>silo:30000</c>, <c>[::1]:30000</c>), tried in
    /// order. Empty means <see cref="DefaultGateway"/>. One is enough for a cluster: every clustered gateway sends the
    /// client the gateways of the cluster's Active silos (its routing table), and a reconnect tries those first.
    /// </summary>
    public IList<string> Gateways { get; set; } = [];

    /// <summary>
    /// Where the client learns the cluster's gateways before each connect (null: <see cref="Gateways"/> and the gateways
    /// the cluster sent). Its gateways are tried first, then those of the cluster's latest routing table, then
    /// <see cref="Gateways"/>; when none of the first two knows any, <see cref="Gateways"/> (or <see cref="DefaultGateway"/>)
    /// serve alone. The client disposes it (when it is <see cref="IAsyncDisposable"/>) with itself. Not bound from configuration.
    /// </summary>
    public IGatewayListProvider? GatewayListProvider { get; set; }

    /// <summary>The shared secret presented in the handshake; null or empty presents none. Default none.</summary>
    public string? Secret { get; set; }

    /// <summary>How long a call waits for its response before failing with <see cref="TimeoutException"/>. Default <see cref="DefaultResponseTimeout"/>.</summary>
    public TimeSpan ResponseTimeout { get; set; } = DefaultResponseTimeout;

    /// <summary>How long one connection attempt (TCP connect and handshake) may take. Default <see cref="DefaultConnectTimeout"/>.</summary>
    public TimeSpan ConnectTimeout { get; set; } = DefaultConnectTimeout;

    /// <summary>How many rounds over all gateways a connect (or reconnect) makes before failing with <see cref="GatewayUnavailableException"/>. Default <see cref="DefaultConnectAttempts"/>.</summary>
    public int ConnectAttempts { get; set; } = DefaultConnectAttempts;

    /// <summary>The pause between connect rounds. Default <see cref="DefaultConnectRetryDelay"/>.</summary>
    public TimeSpan ConnectRetryDelay { get; set; } = DefaultConnectRetryDelay;

    /// <summary>The largest frame (after its 4-byte length prefix) sent or accepted, in bytes. Default <see cref="DefaultMaxFrameBytes"/>.</summary>
    public int MaxFrameBytes { get; set; } = DefaultMaxFrameBytes;

    /// <summary>TLS to the gateways (off by default). The TLS handshake counts against <see cref="ConnectTimeout"/>.</summary>
    public ClientTlsOptions Tls { get; set; } = new();

    /// <summary>
    /// Whether a call for a partition-bound grain (state in its partition's log) goes straight to the gateway of the silo
    /// that owns the partition, as the routing table the gateways send says (else to the client's one gateway, which
    /// forwards it). The client then keeps one connection per gateway it routes to; a gateway it cannot reach is skipped
    /// for <see cref="ConnectRetryDelay"/>. Default true.
    /// </summary>
    public bool RouteToPartitionOwners { get; set; } = true;

    /// <summary>The gateways to use: <see cref="Gateways"/>, or <see cref="DefaultGateway"/> when it is empty.</summary>
    internal IReadOnlyList<string> EffectiveGateways => Gateways.Count > 0 ? [.. Gateways] : [DefaultGateway];
}
