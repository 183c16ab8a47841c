using System.Net;
using System.Net.Sockets;
using Actors.Orleans.Silo.Options;

namespace Actors.Orleans.Silo.Hosting;

/// <summary>The Orleans ports the silo listens on, with a configured 0 replaced by a free port chosen once at start.</summary>
/// <param name="SiloPort">The silo-to-silo port.</param>
/// <param name="GatewayPort">The gateway port.</param>
public sealed record SiloEndpoints(int SiloPort, int GatewayPort)
{
    /// <summary>The ports of <paramref name="options"/>, a 0 replaced by a port the operating system reports free.</summary>
    public static SiloEndpoints Resolve(ActorsSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SiloEndpoints(OrFree(options.SiloPort), OrFree(options.GatewayPort));
    }

    /// <summary>The gateway's endpoint on the loopback address.</summary>
    public IPEndPoint Gateway => new(IPAddress.Loopback, GatewayPort);

    private static int OrFree(int port)
    {
        if (port != 0)
        {
            return port;
        }

        // Orleans advertises its endpoint in membership, so it needs the real port before it binds: ask the OS for one.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
