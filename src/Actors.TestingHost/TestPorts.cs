using System.Net;
using System.Net.Sockets;

namespace Actors.TestingHost;

/// <summary>Reserves loopback ports for test silos, so a silo keeps its ports across restarts (as Orleans' base ports do).</summary>
internal static class TestPorts
{
    /// <summary>A port the system reports free now (bound and released; another process could take it before the silo binds it).</summary>
    public static int Reserve()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
