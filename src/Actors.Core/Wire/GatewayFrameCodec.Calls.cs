using System.Buffers.Binary;
using System.Text;

namespace Actors.Wire;

/// <content>The call frames: Request, Response and Cancel (layouts in the comment at the top of GatewayFrameCodec.cs).</content>
public static partial class GatewayFrameCodec
{
    /// <summary>Encodes a Request frame without headers (<see cref="RequestHeaders.None"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">More than 65,535 arguments.</exception>
    public static byte[] EncodeRequest(ulong correlationId, GrainId target, string methodKey, IReadOnlyList<byte[]> arguments)
        => EncodeRequest(correlationId, target, methodKey, RequestHeaders.None, arguments);

    /// <summary>Encodes a Request frame.</summary>
    /// <exception cref="ArgumentOutOfRangeException">More than 65,535 arguments or call chain entries.</exception>
    public static byte[] EncodeRequest(ulong correlationId, GrainId target, string methodKey, RequestHeaders headers, IReadOnlyList<byte[]> arguments)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(arguments.Count, ushort.MaxValue, nameof(arguments));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(headers.CallChain.Count, ushort.MaxValue, nameof(headers));
        long size = 8 + StringSize(target.Type) + StringSize(target.Key) + StringSize(methodKey) + 1 + 4 + 8 + 2 + 4L + headers.RequestContext.Length + 2;
        foreach (GrainId link in headers.CallChain)
        {
            size += StringSize(link.Type) + StringSize(link.Key);
        }

        foreach (byte[] argument in arguments)
        {
            size += 4 + argument.Length;
        }

        var writer = new FrameWriter(GatewayFrameKind.Request, size);
        writer.WriteUInt64(correlationId);
        writer.WriteString(target.Type);
        writer.WriteString(target.Key);
        writer.WriteString(methodKey);
        writer.WriteByte((byte)headers.Flags);
        writer.WriteUInt32(headers.TimeoutMilliseconds);
        writer.WriteUInt64(headers.CancellationId);
        writer.WriteUInt16((ushort)headers.CallChain.Count);
        foreach (GrainId link in headers.CallChain)
        {
            writer.WriteString(link.Type);
            writer.WriteString(link.Key);
        }

        writer.WriteBlob(headers.RequestContext);
        writer.WriteUInt16((ushort)arguments.Count);
        foreach (byte[] argument in arguments)
        {
            writer.WriteBlob(argument);
        }

        return writer.Complete();
    }

    /// <summary>Decodes a Request body.</summary>
    /// <exception cref="GatewayProtocolException">The body is not a valid Request.</exception>
    public static RequestFrame DecodeRequest(ReadOnlySpan<byte> body)
    {
        var reader = new FrameReader(body);
        ulong correlationId = reader.ReadUInt64();
        GrainId target = ReadGrainId(ref reader, correlationId);
        string methodKey = reader.ReadString();
        byte flags = reader.ReadByte();
        if ((flags & ~(byte)RequestFlags.OneWay) != 0)
        {
            throw new GatewayProtocolException($"request {correlationId} has unknown flags 0x{flags:x2}");
        }

        uint timeout = reader.ReadUInt32();
        ulong cancellationId = reader.ReadUInt64();
        int chainLength = reader.ReadUInt16();
        GrainId[] chain = chainLength == 0 ? [] : new GrainId[chainLength];
        for (int i = 0; i < chainLength; i++)
        {
            chain[i] = ReadGrainId(ref reader, correlationId);
        }

        byte[] requestContext = reader.ReadBlob();
        var headers = flags == 0 && timeout == 0 && cancellationId == 0 && chainLength == 0 && requestContext.Length == 0
            ? RequestHeaders.None
            : new RequestHeaders((RequestFlags)flags, timeout, cancellationId, chain, requestContext);
        int count = reader.ReadUInt16();
        var arguments = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            arguments[i] = reader.ReadBlob();
        }

        reader.EnsureEnd("Request");
        return new RequestFrame(correlationId, target, methodKey, headers, arguments);
    }

    /// <summary>Encodes a Cancel frame.</summary>
    public static byte[] EncodeCancel(ulong cancellationId)
    {
        var writer = new FrameWriter(GatewayFrameKind.Cancel, 8);
        writer.WriteUInt64(cancellationId);
        return writer.Complete();
    }

    /// <summary>Decodes a Cancel body and returns the cancellation id.</summary>
    /// <exception cref="GatewayProtocolException">The body is not a valid Cancel.</exception>
    public static ulong DecodeCancel(ReadOnlySpan<byte> body)
    {
        var reader = new FrameReader(body);
        ulong id = reader.ReadUInt64();
        reader.EnsureEnd("Cancel");
        return id;
    }

    /// <summary>Encodes an Ok Response frame.</summary>
    public static byte[] EncodeResponseOk(ulong correlationId, byte[] result)
    {
        var writer = new FrameWriter(GatewayFrameKind.Response, 8 + 1 + 4L + result.Length);
        writer.WriteUInt64(correlationId);
        writer.WriteByte((byte)GatewayResponseStatus.Ok);
        writer.WriteBlob(result);
        return writer.Complete();
    }

    /// <summary>Encodes an Error Response frame without a serialized exception (the client falls back to the type name and message).</summary>
    public static byte[] EncodeResponseError(ulong correlationId, string errorType, string errorMessage)
        => EncodeResponseError(correlationId, [], errorType, errorMessage);

    /// <summary>Encodes an Error Response frame.</summary>
    /// <param name="correlationId">The request's correlation id.</param>
    /// <param name="exception">The exception serialized as a value of type <see cref="Exception"/> (empty: none).</param>
    /// <param name="errorType">The exception's type full name.</param>
    /// <param name="errorMessage">The exception's message.</param>
    public static byte[] EncodeResponseError(ulong correlationId, byte[] exception, string errorType, string errorMessage)
    {
        var writer = new FrameWriter(GatewayFrameKind.Response, 8 + 1 + 4L + exception.Length + StringSize(errorType) + StringSize(errorMessage));
        writer.WriteUInt64(correlationId);
        writer.WriteByte((byte)GatewayResponseStatus.Error);
        writer.WriteBlob(exception);
        writer.WriteString(errorType);
        writer.WriteString(errorMessage);
        return writer.Complete();
    }

    /// <summary>Decodes a Response body.</summary>
    /// <exception cref="GatewayProtocolException">The body is not a valid Response.</exception>
    public static ResponseFrame DecodeResponse(ReadOnlySpan<byte> body)
    {
        var reader = new FrameReader(body);
        ulong correlationId = reader.ReadUInt64();
        var status = (GatewayResponseStatus)reader.ReadByte();
        ResponseFrame response = status switch
        {
            GatewayResponseStatus.Ok => new ResponseFrame(correlationId, status, reader.ReadBlob(), [], string.Empty, string.Empty),
            GatewayResponseStatus.Error => new ResponseFrame(correlationId, status, [], reader.ReadBlob(), reader.ReadString(), reader.ReadString()),
            _ => throw new GatewayProtocolException($"response {correlationId} has unknown status {(byte)status}"),
        };
        reader.EnsureEnd("Response");
        return response;
    }
}
