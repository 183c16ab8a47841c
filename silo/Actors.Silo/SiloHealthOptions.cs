namespace Actors.Silo;

/// <summary>Where the silo serves its health endpoint (section <c>Actors:Health</c>; e.g. <c>ACTORS__HEALTH__PORT</c>).</summary>
public sealed class SiloHealthOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Actors:Health";

    /// <summary>The default HTTP port of the health endpoint.</summary>
    public const int DefaultPort = 8080;

    /// <summary>The default bind address: loopback.</summary>
    public const string DefaultBindAddress = "127.0.0.1";

    /// <summary>The default path.</summary>
    public const string DefaultPath = "/health";

    /// <summary>The HTTP port, 1 to 65535 (0 = ephemeral, for tests). Default <see cref="DefaultPort"/>.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The IP address to bind. Default <see cref="DefaultBindAddress"/>.</summary>
    public string BindAddress { get; set; } = DefaultBindAddress;

    /// <summary>The path of the health endpoint; starts with '/'. Default <see cref="DefaultPath"/>.</summary>
    public string Path { get; set; } = DefaultPath;
}
