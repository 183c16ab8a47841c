namespace Actors.Hosting.Gateway;

/// <summary>
/// Options of the silo's client gateway: where it listens, the shared secret, frame and timeout limits.
/// Bound from the <c>Actors:Gateway</c> configuration section by the silo executable
/// (environment variables <c>ACTORS__GATEWAY__PORT</c>, <c>ACTORS__GATEWAY__BINDADDRESS</c>, <c>ACTORS__GATEWAY__SECRET</c>, ...).
/// </summary>
/// <remarks>Validated at startup by <see cref="GatewayOptionsValidator"/>; a bad value fails the host with a message naming the setting.</remarks>
public sealed class GatewayOptions
{
    /// <summary>The default TCP port (the same as the Orleans gateway's default).</summary>
    public const int DefaultPort = 30000;

    /// <summary>The default bind address: loopback only, so a silo is not reachable from the network unless configured.</summary>
    public const string DefaultBindAddress = "127.0.0.1";

    /// <summary>The default largest frame accepted or sent: 4 MiB.</summary>
    public const int DefaultMaxFrameBytes = 4 * 1024 * 1024;

    /// <summary>The smallest allowed <see cref="MaxFrameBytes"/>: 1 KiB.</summary>
    public const int MinMaxFrameBytes = 1024;

    /// <summary>The largest allowed <see cref="MaxFrameBytes"/>: 256 MiB.</summary>
    public const int MaxMaxFrameBytes = 256 * 1024 * 1024;

    /// <summary>The default time a grain call may take before the gateway answers with a timeout error: 30 s.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default time a new connection has to complete its handshake: 10 s.</summary>
    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default time a started frame has to arrive completely: 30 s.</summary>
    public static readonly TimeSpan DefaultFrameReceiveTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default number of requests one connection may have in flight: 1,000.</summary>
    public const int DefaultMaxConcurrentRequestsPerConnection = 1000;

    /// <summary>The default time a stopping gateway waits for running requests to answer: 5 s.</summary>
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The default number of simultaneously open client connections: 10,000.</summary>
    public const int DefaultMaxConnections = 10_000;

    /// <summary>The TCP port to listen on, 0 to 65535. 0 picks a free ephemeral port (see <see cref="IGatewayInfo.ListeningEndPoint"/>). Default <see cref="DefaultPort"/>.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The IP address to bind (for example <c>127.0.0.1</c>, <c>0.0.0.0</c> or <c>::</c>). Default <see cref="DefaultBindAddress"/>.</summary>
    public string BindAddress { get; set; } = DefaultBindAddress;

    /// <summary>The shared secret clients must present in their handshake; null or empty accepts every client. Default none.</summary>
    public string? Secret { get; set; }

    /// <summary>The largest frame (after its 4-byte length prefix) accepted from or sent to a client, in bytes. Default <see cref="DefaultMaxFrameBytes"/>.</summary>
    public int MaxFrameBytes { get; set; } = DefaultMaxFrameBytes;

    /// <summary>How long one grain call may take before the client receives a <see cref="TimeoutException"/> error. Default <see cref="DefaultRequestTimeout"/>.</summary>
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;

    /// <summary>How long a new connection may take to send a valid handshake before it is closed. Default <see cref="DefaultHandshakeTimeout"/>.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = DefaultHandshakeTimeout;

    /// <summary>How long a frame may take to arrive once its first byte arrived (defends against slowly dribbled frames). Default <see cref="DefaultFrameReceiveTimeout"/>.</summary>
    public TimeSpan FrameReceiveTimeout { get; set; } = DefaultFrameReceiveTimeout;

    /// <summary>The number of requests one connection may have in flight; further requests wait (the connection stops being read). Default <see cref="DefaultMaxConcurrentRequestsPerConnection"/>.</summary>
    public int MaxConcurrentRequestsPerConnection { get; set; } = DefaultMaxConcurrentRequestsPerConnection;

    /// <summary>
    /// When the silo stops, how long each connection waits for its running requests to complete and answer before it
    /// is closed (requests arriving after the stop began are not started). Zero closes at once. Default <see cref="DefaultDrainTimeout"/>.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = DefaultDrainTimeout;

    /// <summary>The number of simultaneously open connections; connections beyond it are closed at once. Default <see cref="DefaultMaxConnections"/>.</summary>
    public int MaxConnections { get; set; } = DefaultMaxConnections;

    /// <summary>TLS for client connections (off by default). The TLS handshake counts against <see cref="HandshakeTimeout"/>.</summary>
    public GatewayTlsOptions Tls { get; set; } = new();
}
