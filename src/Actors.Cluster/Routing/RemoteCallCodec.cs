using Actors.Cluster.GrainLocation;
using Actors.Cluster.Messaging;
using Actors.Invocation;
using Actors.Serialization;

namespace Actors.Cluster.Routing;

/*
 * Call payloads (silo-to-silo request type Call), version 2 (the binary serializer, as on the gateway):
 *   request   Hops:u8 | SenderView:i64 | CallId:u64 | GrainType:String | GrainKey:String | MethodKey:String
 *             | HasSource:u8 [SourceType:String | SourceKey:String] | RequestContext:Blob (empty = none)
 *             | ArgumentCount:u16 | Argument:Blob*
 *   response  ServedBy:String | Status:u8
 *             Status 0 (result):    Result:Blob (empty for Task/ValueTask)
 *             Status 1 (exception): ExceptionType:String | ExceptionMessage:String | Exception:Blob (empty when the
 *                                   exception cannot be serialized: the caller then gets RemoteGrainException)
 *   CancelCall   CallId:u64 | TokenId:u64     (the sender's CancellationToken argument TokenId of call CallId fired)
 * Arguments, the result, the request context and exceptions are written by the silo's binary Serializer with the
 * method's declared parameter and result types, so whatever crosses the gateway crosses between silos unchanged
 * (value tuples, abstract-typed fields, grain references, cancellable tokens). Cluster routing errors (partition
 * unavailable, silo unavailable, timeouts) do not use Status 1: they travel as Response errors (SiloErrors) so the
 * sending silo's router can act on them.
 */

/// <summary>
/// The one seam between forwarded calls and the serializer: encodes a grain call, its result or its exception for the
/// silo-to-silo protocol with the silo's binary <see cref="Serializer"/> (the gateway's serializer). Layout above.
/// </summary>
internal sealed class RemoteCallCodec(GrainMethodRegistry registry, Serializer serializer)
{
    private const byte ResultStatus = 0;
    private const byte ExceptionStatus = 1;

    /// <summary>Encodes a call; cancellable token arguments are exported to <paramref name="scope"/>.</summary>
    public byte[] EncodeCall(GrainCallRequest request, int hops, long senderView, OutgoingCallCancellation scope)
    {
        GrainMethod method = request.Method;
        var writer = new WireWriter().Byte((byte)Math.Min(hops, byte.MaxValue)).Int64(senderView).UInt64(scope.CallId)
            .String(request.Target.Type).String(request.Target.Key).String(method.Key).Bool(request.SourceId.HasValue);
        if (request.SourceId is { } source)
        {
            writer.String(source.Type).String(source.Key);
        }

        writer.Blob(request.RequestContext is { Count: > 0 } context
            ? serializer.SerializeToArray(context.ToDictionary(), typeof(Dictionary<string, object>), scope)
            : []);
        writer.UInt16((ushort)request.Arguments.Length);
        for (int i = 0; i < request.Arguments.Length; i++)
        {
            try
            {
                writer.Blob(serializer.SerializeToArray(request.Arguments[i], method.ParameterTypes[i], scope));
            }
            catch (Exception ex) when (CallPaths.Argument(ex, method, i))
            {
                throw; // not reached: the filter only records the parameter in the error's member path
            }
        }

        return writer.ToArray();
    }

    /// <summary>Decodes a call; cancellable token arguments are imported from <paramref name="cancellations"/> for <paramref name="sender"/>.</summary>
    /// <exception cref="MissingMethodException">This silo has no grain method with the request's key.</exception>
    public (GrainCallRequest Request, int Hops, long SenderView, IncomingCallCancellation Scope) DecodeCall(byte[] payload, SiloAddress sender, ForwardedCallCancellations cancellations)
    {
        var reader = new WireReader(payload);
        int hops = reader.Byte();
        long view = reader.Int64();
        ulong callId = reader.UInt64();
        GrainId target = DirectoryRequests.ReadGrainId(ref reader);
        string methodKey = reader.String();
        GrainId? source = reader.Bool() ? DirectoryRequests.ReadGrainId(ref reader) : null;
        byte[] context = reader.Blob();
        int count = reader.UInt16();
        var arguments = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            arguments[i] = reader.Blob();
        }

        reader.End("a Call");
        if (!registry.TryGetMethod(methodKey, out GrainMethod method))
        {
            throw new MissingMethodException($"This silo has no grain method '{methodKey}' (is the grain interface registered on every silo?).");
        }

        if (count != method.ParameterTypes.Count)
        {
            throw new ArgumentException($"Grain method '{method.Key}' takes {method.ParameterTypes.Count} arguments; the forwarded call carried {count}.");
        }

        IncomingCallCancellation scope = cancellations.Begin(sender, callId);
        try
        {
            object?[] values = new object?[count];
            for (int i = 0; i < count; i++)
            {
                try
                {
                    values[i] = serializer.Deserialize(arguments[i], method.ParameterTypes[i], scope);
                }
                catch (Exception ex) when (CallPaths.Argument(ex, method, i))
                {
                    throw; // not reached: the filter only records the parameter in the error's member path
                }
            }

            Dictionary<string, object>? requestContext = context.Length == 0 ? null : serializer.Deserialize<Dictionary<string, object>>(context, scope);
            var request = new GrainCallRequest(target, method, values) { RequestContext = requestContext, SourceId = source, IsForwarded = true };
            return (request, hops, view, scope);
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }

    public byte[] EncodeResult(GrainMethod method, object? result, string servedBy)
        => new WireWriter().String(servedBy).Byte(ResultStatus)
            .Blob(method.ResultType == typeof(void) ? [] : SerializeResult(method, result)).ToArray();

    private byte[] SerializeResult(GrainMethod method, object? result)
    {
        try
        {
            return serializer.SerializeToArray(result, method.ResultType);
        }
        catch (Exception ex) when (CallPaths.Result(ex, method))
        {
            throw; // not reached: the filter only records the result in the error's member path
        }
    }

    /// <summary>Encodes the exception a forwarded call ended with; <paramref name="notSerializable"/> is set when only its type and message travel.</summary>
    public byte[] EncodeException(Exception exception, string servedBy, out SerializerException? notSerializable)
    {
        (string type, string message) = exception is RemoteGrainException remote
            ? (remote.OriginalTypeName, remote.OriginalMessage)
            : (exception.GetType().FullName ?? exception.GetType().Name, exception.Message);
        byte[] serialized;
        notSerializable = null;
        try
        {
            serialized = serializer.SerializeToArray(exception);
        }
        catch (SerializerException ex)
        {
            notSerializable = ex;
            serialized = [];
        }

        return new WireWriter().String(servedBy).Byte(ExceptionStatus).String(type).String(message).Blob(serialized).ToArray();
    }

    /// <summary>Decodes a response: the result, or the exception to throw (its own type when this silo can read it).</summary>
    public (object? Result, Exception? Exception, string ServedBy) DecodeResult(GrainMethod method, byte[] payload)
    {
        var reader = new WireReader(payload);
        string servedBy = reader.String();
        byte status = reader.Byte();
        if (status == ResultStatus)
        {
            byte[] result = reader.Blob();
            reader.End("a Call result");
            try
            {
                return (method.ResultType == typeof(void) ? null : serializer.Deserialize(result, method.ResultType), null, servedBy);
            }
            catch (Exception ex) when (CallPaths.Result(ex, method))
            {
                throw; // not reached: the filter only records the result in the error's member path
            }
        }

        if (status != ExceptionStatus)
        {
            throw new SiloProtocolException($"unknown Call response status {status}");
        }

        string type = reader.String();
        string message = reader.String();
        byte[] serialized = reader.Blob();
        reader.End("a Call exception");
        Exception? exception = null;
        if (serialized.Length > 0)
        {
            try
            {
                exception = serializer.Deserialize<Exception>(serialized);
            }
            catch (SerializerException)
            {
                // This silo cannot read the exception's type: the caller still gets its type name and message.
            }
        }

        return (null, exception ?? new RemoteGrainException(type, message), servedBy);
    }
}
