using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Actors.TestingHost;

/// <summary>
/// A loopback TCP port reserved for one test cluster's silo for as long as the cluster lives, so that the silo can be
/// killed and started again on the same port. Orleans' test cluster keeps a silo's ports across restarts the same way.
/// </summary>
/// <remarks>
/// <para>A port the system chose (port 0) lies in the ephemeral range, and once its listener closes, any outgoing
/// connection of any process on the machine may be given it as its local port: a restart on it then fails with "address
/// already in use" for as long as that connection lives (seen under the stress mode, two test assemblies running side by
/// side). A reserved port is chosen below the ephemeral range (Linux's <c>net.ipv4.ip_local_port_range</c>), where the
/// system never hands out ports on its own.</para>
/// <para>Test processes running side by side take ports from that range too, so a reservation also holds an exclusive lock
/// on a file named after the port in a directory every test process shares (<see cref="DirectoryPath"/>). The lock is
/// taken before the port is probed and released only by <see cref="Dispose"/> or by the process's death (the operating
/// system drops its file locks), so no other process using this class takes the port meanwhile, and a crashed test
/// leaves nothing held.</para>
/// <para>Orleans's own test cluster (Microsoft.Orleans.TestingHost, used by other test assemblies that may run at the
/// same time) picks its gateway ports from 12000-21999 and its silo ports from 22300-29999, checking only the listeners
/// open at that moment: a port reserved here but not listening (its silo restarting) could be taken by it. Reservations
/// skip those ranges (<see cref="IsOrleansTestClusterPort"/>).</para>
/// <para>On a system without <c>ip_local_port_range</c> (not Linux), no reservation is made: <see cref="Reserve"/> returns
/// null and the silo binds port 0 as before. Not thread-safe; dispose once.</para>
/// </remarks>
public sealed class LoopbackPortReservation : IDisposable
{
    /// <summary>The lowest port considered: above the well-known and most registered service ports in use on CI machines.</summary>
    public const int LowestPort = 20_000;

    private const string PortRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";

    private readonly FileStream _lock;

    private LoopbackPortReservation(int port, FileStream fileLock)
    {
        Port = port;
        _lock = fileLock;
    }

    /// <summary>The reserved port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The directory of the lock files, shared by every test process of this machine's user.</summary>
    public static string DirectoryPath { get; } = Path.Combine(Path.GetTempPath(), "actors-test-ports");

    /// <summary>
    /// Reserves a free loopback port below the ephemeral range, or returns null when this system has no such range to
    /// avoid (the caller then binds port 0).
    /// </summary>
    /// <exception cref="InvalidOperationException">Every port between <see cref="LowestPort"/> and the ephemeral range, outside Orleans's test cluster ranges, is locked or bound.</exception>
    public static LoopbackPortReservation? Reserve()
    {
        if (EphemeralRangeStart() is not int ephemeralStart || ephemeralStart <= LowestPort + 1)
        {
            return null;
        }

        Directory.CreateDirectory(DirectoryPath);
        int span = ephemeralStart - LowestPort;
        int first = Random.Shared.Next(span);
        for (int i = 0; i < span; i++)
        {
            int port = LowestPort + ((first + i) % span);
            if (IsOrleansTestClusterPort(port) || TryLock(port) is not { } fileLock)
            {
                continue;
            }

            if (IsFree(port))
            {
                return new LoopbackPortReservation(port, fileLock);
            }

            fileLock.Dispose();
        }

        throw new InvalidOperationException(
            $"No loopback port between {LowestPort} and {ephemeralStart - 1} outside Orleans's test cluster ranges is free: each is bound or reserved by another test process (lock files in {DirectoryPath}).");
    }

    /// <summary>
    /// True when <paramref name="port"/> lies in a range Orleans's test cluster allocates from (gateway ports 12000-21999,
    /// silo ports 22300-29999: <c>TestClusterPortAllocator</c> in Microsoft.Orleans.TestingHost 10.4.2, checked by sampling
    /// its allocations).
    /// </summary>
    public static bool IsOrleansTestClusterPort(int port) => port is (>= 12_000 and < 22_000) or (>= 22_300 and < 30_000);

    /// <summary>Releases the port for other test processes (the silo using it must have stopped).</summary>
    public void Dispose() => _lock.Dispose();

    /// <summary>The first port of the ephemeral range, or null when the system does not publish it.</summary>
    private static int? EphemeralRangeStart()
    {
        if (!File.Exists(PortRangeFile))
        {
            return null;
        }

        string[] bounds = File.ReadAllText(PortRangeFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return bounds.Length >= 1 && int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int start) ? start : null;
    }

    /// <summary>The port's lock file, opened for this process alone (an advisory lock on Unix), or null when another process holds it.</summary>
    private static FileStream? TryLock(int port)
    {
        try
        {
            return new FileStream(
                Path.Combine(DirectoryPath, port.ToString(CultureInfo.InvariantCulture) + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether a listener could bind 127.0.0.1:<paramref name="port"/> now (the probe binds it and lets it go).</summary>
    private static bool IsFree(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
