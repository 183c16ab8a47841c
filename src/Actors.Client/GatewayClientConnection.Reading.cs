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

/// <content>The reader: completes calls from responses, serves observer requests, takes routing tables, and decides what became of the calls in flight when the connection ends.</content>
internal sealed partial class GatewayClientConnection
{
    private async Task ReadLoopAsync()
    {
        string reason = "the gateway closed the connection";
        Exception? error = null;
        try
        {
            while (true)
            {
                ReadResult result = await _reader.ReadAsync(_closed.Token);
                ReadOnlySequence<byte> buffer = result.Buffer;
                while (GatewayFrameCodec.TryReadFrame(ref buffer, _options.MaxFrameBytes, out GatewayFrameKind kind, out ReadOnlySequence<byte> body))
                {
                    if (kind == GatewayFrameKind.Goodbye)
                    {
                        GatewayFrameCodec.DecodeGoodbye(body.IsSingleSegment ? body.FirstSpan : body.ToArray());
                        _saidGoodbye = true;
                        reason = "the silo gateway is stopping (Goodbye)";
                        Close(reason);
                        break;
                    }

                    if (kind == GatewayFrameKind.Request)
                    {
                        _observerRequests.Handle(Decode(body, GatewayFrameCodec.DecodeRequest));
                        continue;
                    }

                    if (kind == GatewayFrameKind.RoutingTable && _onRoutingTable is not null)
                    {
                        _onRoutingTable(Decode(body, GatewayFrameCodec.DecodeRoutingTable));
                        continue;
                    }

                    if (kind != GatewayFrameKind.Response)
                    {
                        throw new GatewayProtocolException($"unexpected frame kind {(byte)kind} from the gateway");
                    }

                    Complete(Decode(body, GatewayFrameCodec.DecodeResponse));
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || _saidGoodbye)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
            reason = _closeReason ?? "closed";
        }
        catch (ObjectDisposedException) when (_saidGoodbye)
        {
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or GatewayProtocolException)
        {
            reason = ex.Message;
            error = ex;
        }

        Close(reason);
        LogConnectionClosed(_logger, Endpoint, reason);
        foreach (ulong id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out PendingCall? call))
            {
                // After a Goodbye every started request has had its response: the rest never ran and may be sent again;
                // so may a request whose frame never reached the socket.
                call.Completion.TrySetException(_saidGoodbye || !call.Sent
                    ? new GatewayRequestNotStartedException(Endpoint, reason)
                    : new GatewayConnectionLostException(Endpoint, reason, error));
            }
        }

        await _reader.CompleteAsync();
        await _writeLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _writer.CompleteAsync();
        await _stream.DisposeAsync();
    }

    private static T Decode<T>(ReadOnlySequence<byte> body, SpanDecoder<T> decode)
    {
        if (body.IsSingleSegment)
        {
            return decode(body.FirstSpan);
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent((int)body.Length);
        try
        {
            body.CopyTo(rented);
            return decode(rented.AsSpan(0, (int)body.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void Complete(ResponseFrame response)
    {
        if (!_pending.TryRemove(response.CorrelationId, out PendingCall? call))
        {
            LogLateResponse(_logger, Endpoint, response.CorrelationId);
            return;
        }

        if (response.Status == GatewayResponseStatus.Error)
        {
            call.Completion.TrySetException(ReadException(response));
            return;
        }

        try
        {
            object? value = call.Method.ResultType == typeof(void) ? null : _serializer.Deserialize(response.Result, call.Method.ResultType, call.Scope);
            call.Completion.TrySetResult(value);
        }
        catch (SerializerException ex) when (!CallPaths.Result(ex, call.Method))
        {
            call.Completion.TrySetException(ex);
        }
    }

    /// <summary>The exception the grain threw, as its own type when this process has it (else the serializer's typed fallback).</summary>
    private Exception ReadException(ResponseFrame response)
    {
        if (response.Exception.Length > 0)
        {
            try
            {
                if (_serializer.Deserialize<Exception>(response.Exception) is { } exception)
                {
                    return exception;
                }
            }
            catch (SerializerException ex)
            {
                LogExceptionUnreadable(_logger, Endpoint, response.ErrorType, ex.Message);
            }
        }

        // A partition without a live owner keeps its type even when its serialized form is unreadable (callers catch it to retry after a restart).
        return response.ErrorType == typeof(PartitionUnavailableException).FullName && PartitionUnavailableException.TryParse(response.ErrorMessage, out PartitionUnavailableException? unavailable)
            ? unavailable!
            : new RemoteGrainException(response.ErrorType, response.ErrorMessage);
    }

    private delegate T SpanDecoder<out T>(ReadOnlySpan<byte> body);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Connection to the silo gateway at {Endpoint} closed: {Reason}")]
    private static partial void LogConnectionClosed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Response {CorrelationId} from {Endpoint} arrived after its call gave up")]
    private static partial void LogLateResponse(ILogger logger, string endpoint, ulong correlationId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "An exception of type {ErrorType} from {Endpoint} could not be read ({Reason}); the call fails with RemoteGrainException")]
    private static partial void LogExceptionUnreadable(ILogger logger, string endpoint, string errorType, string reason);
}
