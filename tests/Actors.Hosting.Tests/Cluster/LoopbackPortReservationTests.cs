using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Actors.TestingHost;

namespace Actors.Hosting.Tests.Cluster;

public sealed class LoopbackPortReservationTests
{
    [Fact]
    public void Reserve_OnLinux_PortBelowTheEphemeralRangeAndBindable()
    {
        using LoopbackPortReservation reservation = Reserve();

        Assert.InRange(reservation.Port, LoopbackPortReservation.LowestPort, EphemeralRangeStart() - 1);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, reservation.Port));
        listener.Listen(1);
    }

    [Fact]
    public void Reserve_ManyHeldAtOnce_EachPortLockedAndNeverHandedOutTwice()
    {
        var held = new List<LoopbackPortReservation>();
        try
        {
            for (int i = 0; i < 64; i++)
            {
                held.Add(Reserve());
            }

            Assert.Equal(held.Count, held.Select(r => r.Port).Distinct().Count());
            Assert.All(held, r => Assert.False(LoopbackPortReservation.IsOrleansTestClusterPort(r.Port), $"port {r.Port} lies where Orleans's test cluster takes ports"));
            Assert.All(held, r => Assert.True(IsLockedByAnother(r.Port), $"port {r.Port} is handed out but not locked"));
        }
        finally
        {
            held.ForEach(r => r.Dispose());
        }

        Assert.All(held, r => Assert.False(IsLockedByAnother(r.Port), $"port {r.Port} is still locked after its reservation was disposed"));
    }

    [Theory]
    [InlineData(11_999, false)]
    [InlineData(12_000, true)]
    [InlineData(21_999, true)]
    [InlineData(22_000, false)]
    [InlineData(22_299, false)]
    [InlineData(22_300, true)]
    [InlineData(29_999, true)]
    [InlineData(30_000, false)]
    public void IsOrleansTestClusterPort_RangeBounds_MatchOrleansAllocator(int port, bool expected) =>
        Assert.Equal(expected, LoopbackPortReservation.IsOrleansTestClusterPort(port));

    /// <summary>Whether opening the port's lock file exclusively fails, as it does for any other reserving process.</summary>
    internal static bool IsLockedByAnother(int port)
    {
        try
        {
            using var probe = new FileStream(
                Path.Combine(LoopbackPortReservation.DirectoryPath, port.ToString(CultureInfo.InvariantCulture) + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>The first port Linux hands out to outgoing connections and port-0 listeners.</summary>
    internal static int EphemeralRangeStart() =>
        int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);

    private static LoopbackPortReservation Reserve() =>
        LoopbackPortReservation.Reserve() ?? throw new InvalidOperationException("this system publishes no ephemeral port range (the suite runs on Linux)");
}
