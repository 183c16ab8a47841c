using System.Net;
using System.Net.Sockets;
using Actors.Orleans.Silo.Options;

namespace Actors.Orleans.Silo.Hosting;

/// <summary>
/// Where the silo listens and what it advertises, resolved once at start: a configured port of 0 replaced by a free
/// port, the advertised address resolved from <see cref="ActorsSiloOptions.AdvertisedAddress"/> (or the bind address).
/// </summary>
/// <param name="BindAddress">The address the silo-to-silo and gateway ports listen on.</param>
/// <param name="AdvertisedAddress">The address given to other silos and clients; null when Orleans's Kubernetes hosting chooses it (the pod's address).</param>
/// <param name="SiloPort">The silo-to-silo port, as advertised.</param>
/// <param name="GatewayPort">The gateway port, as advertised.</param>
/// <param name="DashboardPort">The dashboard listener's port.</param>
public sealed record SiloEndpoints(IPAddress BindAddress, IPAddress? AdvertisedAddress, int SiloPort, int GatewayPort, int DashboardPort)
{
    /// <summary>Resolves the endpoints of <paramref name="options"/>.</summary>
    /// <exception cref="SiloStartupException">The advertised host name does not resolve; the message names the setting.</exception>
    public static SiloEndpoints Resolve(ActorsSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IPAddress bind = IPAddress.Parse(options.BindAddress);
        int silo = OrFree(options.SiloPort);
        int gateway = OrFree(options.GatewayPort);
        return new SiloEndpoints(bind, Advertised(options, bind), silo, gateway, OrFree(options.DashboardPort))
        {
            SiloListeningPort = options.SiloListeningPort ?? silo,
            GatewayListeningPort = options.GatewayListeningPort ?? gateway,
        };
    }

    /// <summary>The port the silo-to-silo listener binds: <see cref="SiloPort"/> unless a proxy or port mapping forwards that one here.</summary>
    public int SiloListeningPort { get; init; }

    /// <summary>The port the gateway listener binds: <see cref="GatewayPort"/> unless a proxy or port mapping forwards that one here.</summary>
    public int GatewayListeningPort { get; init; }

    /// <summary>The gateway's endpoint as advertised (the bind address when Kubernetes chooses the advertised one).</summary>
    public IPEndPoint Gateway => new(AdvertisedAddress ?? BindAddress, GatewayPort);

    /// <summary>The advertised address as text, or what Kubernetes hosting will choose.</summary>
    public string AdvertisedText => AdvertisedAddress?.ToString() ?? "(the pod's address)";

    private static IPAddress? Advertised(ActorsSiloOptions options, IPAddress bind)
    {
        string configured = options.AdvertisedAddress;
        if (configured.Length == 0)
        {
            if (!IsAny(bind))
            {
                return bind;
            }

            if (options.KubernetesHosting)
            {
                return null;   // Orleans's Kubernetes hosting sets it from POD_IP
            }

            configured = Dns.GetHostName();
        }

        if (IPAddress.TryParse(configured, out IPAddress? address))
        {
            return address;
        }

        IPAddress[] found;
        try
        {
            found = Dns.GetHostAddresses(configured);
        }
        catch (SocketException ex)
        {
            throw new SiloStartupException($"{ActorsSiloOptions.SectionName}:{nameof(ActorsSiloOptions.AdvertisedAddress)}: the host name '{configured}' does not resolve ({ex.Message}); set an IP address.", ex);
        }

        return found.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? found.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? found.FirstOrDefault()
            ?? throw new SiloStartupException($"{ActorsSiloOptions.SectionName}:{nameof(ActorsSiloOptions.AdvertisedAddress)}: the host name '{configured}' resolves to no address; set an IP address.");
    }

    private static bool IsAny(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

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
