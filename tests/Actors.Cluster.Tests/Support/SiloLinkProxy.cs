using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Actors.Cluster.Messaging;

namespace Actors.Cluster.Tests.Support;

/// <summary>
/// A fault-injecting TCP proxy between silos on loopback: it cuts and heals the links between named silos.
/// </summary>
/// <remarks>
/// <para>
/// Each silo gets a port <c>P</c> (<see cref="Route"/>): the silo binds its silo-to-silo listener on
/// <see cref="SiloListenAddress"/>:<c>P</c> and advertises <see cref="ProxyAddress"/>:<c>P</c>, where the proxy listens, so
/// every connection another silo opens to it crosses the proxy (gateway connections from clients do not). The proxy
/// reads the connection's first frame, the initiator's Hello (layout in <c>SiloFrames.cs</c>), to learn which silo opened
/// it: a link is a pair of silo names, and one connection carries the initiator's requests and the acceptor's responses.
/// </para>
/// <para>
/// <see cref="Cut"/> turns the link into a black hole, as a network partition does: the open connections between the two
/// silos stay open but every byte read from them is dropped (<see cref="BytesDropped"/>), and new connections are
/// accepted but never forwarded, so the silos see timeouts rather than closed connections. <see cref="Heal"/> closes
/// those connections (bytes were lost mid-stream: they cannot resume) and forwards new ones again.
/// </para>
/// <para>
/// <see cref="CutOneWay"/> drops only what one silo sends the other (an asymmetric partition): on a connection the sender
/// opened its requests vanish (a new one is held, its Hello never forwarded), on one the receiver opened the receiver's
/// requests arrive and are handled but their responses vanish.
/// </para>
/// </remarks>
public sealed class SiloLinkProxy : IAsyncDisposable
{
    /// <summary>Where the proxy listens: the address silos advertise.</summary>
    public static readonly IPAddress ProxyAddress = IPAddress.Loopback;

    /// <summary>Where the silos listen, behind the proxy (another loopback address, same port).</summary>
    public static readonly IPAddress SiloListenAddress = IPAddress.Parse("127.0.0.2");

    private readonly object _lock = new();
    private readonly Dictionary<string, Socket> _listeners = new(StringComparer.Ordinal);
    private readonly HashSet<(string, string)> _cut = [];
    private readonly HashSet<(string From, string To)> _oneWay = [];
    private readonly List<Link> _links = [];
    private readonly List<Task> _tasks = [];
    private long _bytesForwarded;
    private long _bytesDropped;
    private long _connectionsHeld;
    private bool _disposed;

    /// <summary>Bytes forwarded between silos so far.</summary>
    public long BytesForwarded => Interlocked.Read(ref _bytesForwarded);

    /// <summary>Bytes read from a cut link and dropped so far (evidence that the cut stopped real traffic).</summary>
    public long BytesDropped => Interlocked.Read(ref _bytesDropped);

    /// <summary>Connections opened across a cut link and held without forwarding so far.</summary>
    public long ConnectionsHeld => Interlocked.Read(ref _connectionsHeld);

    /// <summary>
    /// The port of silo <paramref name="silo"/>: the proxy listens on <see cref="ProxyAddress"/>:port (started on the first
    /// call, the same port afterwards, so a restarted silo keeps it) and forwards to <see cref="SiloListenAddress"/>:port.
    /// </summary>
    public int Route(string silo)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_listeners.TryGetValue(silo, out Socket? existing))
            {
                return ((IPEndPoint)existing.LocalEndPoint!).Port;
            }

            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(ProxyAddress, 0));
            listener.Listen(128);
            _listeners[silo] = listener;
            int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            _tasks.Add(Task.Run(() => AcceptLoopAsync(silo, listener, port)));
            return port;
        }
    }

    /// <summary>Cuts the link between <paramref name="a"/> and <paramref name="b"/>, both directions.</summary>
    public void Cut(string a, string b)
    {
        lock (_lock)
        {
            _cut.Add(Key(a, b));
            foreach (Link link in _links.Where(l => l.Is(a, b)))
            {
                link.Blackholed = true;
            }
        }
    }

    /// <summary>Drops every byte <paramref name="from"/> sends <paramref name="to"/>; what <paramref name="to"/> sends still arrives.</summary>
    public void CutOneWay(string from, string to)
    {
        lock (_lock)
        {
            _oneWay.Add((from, to));
            foreach (Link link in _links.Where(l => l.Is(from, to)))
            {
                link.DropFrom(from);
            }
        }
    }

    /// <summary>Cuts every link between <paramref name="silo"/> and each of <paramref name="others"/>.</summary>
    public void Isolate(string silo, params string[] others)
    {
        foreach (string other in others)
        {
            Cut(silo, other);
        }
    }

    /// <summary>Heals every cut link: the connections held or blackholed across them are closed, new ones forwarded.</summary>
    public void HealAll()
    {
        Link[] closing;
        lock (_lock)
        {
            _cut.Clear();
            _oneWay.Clear();
            closing = [.. _links.Where(l => l.DropsAny)];
        }

        foreach (Link link in closing)
        {
            link.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] tasks;
        lock (_lock)
        {
            _disposed = true;
            foreach (Socket listener in _listeners.Values)
            {
                listener.Dispose();
            }

            foreach (Link link in _links)
            {
                link.Close();
            }

            tasks = [.. _tasks];
        }

        await Task.WhenAll(tasks).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private static (string, string) Key(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);

    private async Task AcceptLoopAsync(string silo, Socket listener, int port)
    {
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await listener.AcceptAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_lock)
            {
                if (_disposed)
                {
                    accepted.Dispose();
                    return;
                }

                _tasks.Add(Task.Run(() => ConnectAsync(silo, accepted, port)));
            }
        }
    }

    /// <summary>Reads the initiator's Hello, then forwards the connection to the silo, or holds it when the link is cut.</summary>
    private async Task ConnectAsync(string silo, Socket initiator, int port)
    {
        var link = new Link(initiator, silo);
        try
        {
            byte[] hello = await ReadFrameAsync(initiator);
            link.From = SiloFrames.DecodeHello(hello.AsSpan(SiloFrames.LengthPrefixBytes + 1)).FromName;
            lock (_lock)
            {
                if (_disposed)
                {
                    link.Close();
                    return;
                }

                _links.Add(link);
                link.Blackholed = _cut.Contains(Key(link.From, silo));
                if (_oneWay.Contains((link.From, silo)))
                {
                    link.DropFrom(link.From);
                }

                if (_oneWay.Contains((silo, link.From)))
                {
                    link.DropFrom(silo);
                }

                if (link.Drops(fromInitiator: true))
                {
                    Interlocked.Increment(ref _connectionsHeld);
                }
            }

            var acceptor = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            link.Acceptor = acceptor;
            if (!link.Drops(fromInitiator: true))
            {
                await acceptor.ConnectAsync(new IPEndPoint(SiloListenAddress, port));
                await acceptor.SendAsync(hello);
            }

            await Task.WhenAll(PumpAsync(link, initiator, acceptor, fromInitiator: true), PumpAsync(link, acceptor, initiator, fromInitiator: false));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException or SiloProtocolException)
        {
            // The link was cut and healed, the proxy disposed, or a silo closed the connection: nothing left to forward.
        }
        finally
        {
            link.Close();
            lock (_lock)
            {
                _links.Remove(link);
            }
        }
    }

    /// <summary>Copies one direction of a link; while that direction is cut, reads and drops.</summary>
    private async Task PumpAsync(Link link, Socket from, Socket to, bool fromInitiator)
    {
        byte[] buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                if (!from.Connected)
                {
                    // The acceptor side of a connection opened across a cut: nothing to read until the link heals.
                    await link.Closed.Task;
                    return;
                }

                int read = await from.ReceiveAsync(buffer);
                if (read == 0)
                {
                    return;
                }

                if (link.Drops(fromInitiator))
                {
                    Interlocked.Add(ref _bytesDropped, read);
                    continue;
                }

                await to.SendAsync(buffer.AsMemory(0, read));
                Interlocked.Add(ref _bytesForwarded, read);
            }
        }
        finally
        {
            link.Close();
        }
    }

    private static async Task<byte[]> ReadFrameAsync(Socket socket)
    {
        byte[] prefix = new byte[SiloFrames.LengthPrefixBytes];
        await ReadExactlyAsync(socket, prefix);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        if (length is 0 or > 64 * 1024)
        {
            throw new SiloProtocolException($"the proxy expected a Hello frame first, read a frame length of {length}");
        }

        byte[] frame = new byte[SiloFrames.LengthPrefixBytes + length];
        prefix.CopyTo(frame, 0);
        await ReadExactlyAsync(socket, frame.AsMemory(SiloFrames.LengthPrefixBytes));
        return frame;
    }

    private static async Task ReadExactlyAsync(Socket socket, Memory<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            int read = await socket.ReceiveAsync(buffer);
            if (read == 0)
            {
                throw new IOException("the connection closed before its Hello frame");
            }

            buffer = buffer[read..];
        }
    }

    /// <summary>One proxied connection: the initiator's socket, the one to the acceptor silo, and whether it is cut.</summary>
    private sealed class Link(Socket initiator, string to)
    {
        private int _closed;
        private volatile bool _dropFromInitiator;
        private volatile bool _dropFromAcceptor;

        public string From { get; set; } = "";

        public Socket? Acceptor { get; set; }

        /// <summary>Both directions cut (setting it true cuts both; false heals both).</summary>
        public bool Blackholed
        {
            get => _dropFromInitiator && _dropFromAcceptor;
            set => (_dropFromInitiator, _dropFromAcceptor) = (value, value);
        }

        /// <summary>Whether either direction is cut.</summary>
        public bool DropsAny => _dropFromInitiator || _dropFromAcceptor;

        /// <summary>Whether the bytes sent by the initiator (true) or by the acceptor (false) are dropped.</summary>
        public bool Drops(bool fromInitiator) => fromInitiator ? _dropFromInitiator : _dropFromAcceptor;

        /// <summary>Cuts the direction in which <paramref name="silo"/> (one of the link's two) sends.</summary>
        public void DropFrom(string silo)
        {
            if (silo == From)
            {
                _dropFromInitiator = true;
            }
            else
            {
                _dropFromAcceptor = true;
            }
        }

        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Is(string a, string b) => (From == a && to == b) || (From == b && to == a);

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 1)
            {
                return;
            }

            initiator.Dispose();
            Acceptor?.Dispose();
            Closed.TrySetResult();
        }
    }
}
