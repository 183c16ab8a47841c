using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Actors.Invocation;
using Actors.Security;
using Actors.Serialization;
using Actors.Wire;
using Microsoft.Extensions.Logging;

namespace Actors.Client;

/// <content>Opening a connection: TCP connect, optional TLS, the Hello handshake, then the loops start.</content>
internal sealed partial class GatewayClientConnection
{
    /// <summary>Connects, sends the Hello and waits for the gateway's answer, all within <see cref="ClientOptions.ConnectTimeout"/>.</summary>
    /// <exception cref="GatewayRejectedException">The gateway refused the handshake.</exception>
    /// <exception cref="TimeoutException">The connect or handshake took longer than the connect timeout.</exception>
    /// <remarks>
    /// After the handshake the connection announces <paramref name="observers"/>' owner (ObserverHost), so the silo sends
    /// calls to this client's observers on it; with <paramref name="onRoutingTable"/> it also asks a gateway that speaks
    /// the routing frames for its routing table and hands every table it receives to that callback (on the reader).
    /// </remarks>
    public static async Task<GatewayClientConnection> ConnectAsync(
        string endpoint, EndPoint address, ClientOptions options, Serializer serializer, ObserverRegistry observers, Action<GatewayRoutingTable>? onRoutingTable, ILogger logger, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        GatewayClientConnection? connection = null;
        try
        {
            await socket.ConnectAsync(address, timeout.Token);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (options.Tls.Enabled)
            {
                stream = await AuthenticateAsync(stream, endpoint, options.Tls, timeout.Token);
            }

            connection = new GatewayClientConnection(endpoint, socket, stream, options, serializer, observers, onRoutingTable, logger);
            await connection.HandshakeAsync(timeout.Token);
            connection.Start();
            return connection;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await DisposeFailedAsync(socket, connection);
            throw new TimeoutException($"Connecting to the silo gateway at {endpoint} took longer than ConnectTimeout {options.ConnectTimeout}.");
        }
        catch
        {
            await DisposeFailedAsync(socket, connection);
            throw;
        }
    }

    /// <exception cref="GatewayRejectedException">The TLS handshake failed: the gateway's certificate is not trusted, or it does not speak TLS.</exception>
    private static async Task<Stream> AuthenticateAsync(Stream stream, string endpoint, ClientTlsOptions tls, CancellationToken cancellationToken)
    {
        var pins = new PinnedCertificates(tls.AllowedServerThumbprints);
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false, pins.Validate);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = tls.TargetHost ?? endpoint[..Math.Max(0, endpoint.LastIndexOf(':'))].Trim('[', ']'),
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, cancellationToken);
            return ssl;
        }
        catch (AuthenticationException ex)
        {
            await ssl.DisposeAsync();
            throw new GatewayRejectedException(endpoint, "the TLS handshake failed (ClientOptions.Tls): " + ex.Message);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }

    private static async Task DisposeFailedAsync(Socket socket, GatewayClientConnection? connection)
    {
        if (connection is not null)
        {
            await connection._reader.CompleteAsync();
            await connection._writer.CompleteAsync();
            await connection._stream.DisposeAsync();
        }

        socket.Dispose();
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        _writer.Write(GatewayFrameCodec.EncodeHello(_options.Secret ?? string.Empty));
        await _writer.FlushAsync(cancellationToken);
        while (true)
        {
            ReadResult result = await _reader.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (GatewayFrameCodec.TryReadFrame(ref buffer, _options.MaxFrameBytes, out GatewayFrameKind kind, out ReadOnlySequence<byte> body))
            {
                byte[] bytes = body.ToArray();
                _reader.AdvanceTo(buffer.Start);
                switch (kind)
                {
                    case GatewayFrameKind.HelloAccepted:
                        _gatewayVersion = GatewayFrameCodec.DecodeHelloAccepted(bytes);
                        return;
                    case GatewayFrameKind.HelloRejected:
                        throw new GatewayRejectedException(Endpoint, GatewayFrameCodec.DecodeHelloRejected(bytes));
                    default:
                        throw new GatewayProtocolException($"expected the gateway's handshake answer, received frame kind {(byte)kind}");
                }
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new IOException($"The silo gateway at {Endpoint} closed the connection during the handshake.");
            }
        }
    }

    private void Start()
    {
        _outbox.Writer.TryWrite(new OutgoingFrame(GatewayFrameCodec.EncodeObserverHost(_observers.Owner), null));
        if (_onRoutingTable is not null && _gatewayVersion >= GatewayFrameCodec.RoutingProtocolVersion)
        {
            _outbox.Writer.TryWrite(new OutgoingFrame(GatewayFrameCodec.EncodeRoutingRequest(), null));
        }

        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
    }
}
