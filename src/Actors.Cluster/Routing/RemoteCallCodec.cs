using Actors.Cluster.Messaging;
using Actors.Cluster.GrainLocation;
using Actors.Invocation;
using Actors.Serialization;

namespace Actors.Cluster.Routing;

/*
 * Call payloads (silo-to-silo request type Call):
 *   request   Hops:u8 | SenderView:i64 | GrainType:String | GrainKey:String | MethodKey:String | ArgumentCount:u16 | Argument:Blob*
 *   response  ServedBy:String | Result:Blob
 * Arguments and the result are serialized by the silo's IGrainSerializer with the method's declared parameter and
 * result types (an empty blob for Task/ValueTask), exactly as on the gateway.
 */

/// <summary>
/// The one seam between forwarded calls and the serializer: encodes a grain call and its result for the silo-to-silo
/// protocol with the silo's <see cref="IGrainSerializer"/> (the gateway's serializer on this build). A call-message type
/// with headers can replace this class without touching the router.
/// </summary>
internal sealed class RemoteCallCodec(GrainMethodRegistry registry, IGrainSerializer serializer)
{
    public byte[] EncodeCall(GrainCallRequest request, int hops, long senderView)
    {
        GrainMethod method = request.Method;
        var writer = new WireWriter().Byte((byte)Math.Min(hops, byte.MaxValue)).Int64(senderView)
            .String(request.Target.Type).String(request.Target.Key).String(method.Key).UInt16((ushort)request.Arguments.Length);
        for (int i = 0; i < request.Arguments.Length; i++)
        {
            writer.Blob(serializer.Serialize(request.Arguments[i], method.ParameterTypes[i]));
        }

        return writer.ToArray();
    }

    /// <exception cref="MissingMethodException">This silo has no grain method with the request's key.</exception>
    public (GrainCallRequest Request, int Hops, long SenderView) DecodeCall(byte[] payload)
    {
        var reader = new WireReader(payload);
        int hops = reader.Byte();
        long view = reader.Int64();
        GrainId target = DirectoryRequests.ReadGrainId(ref reader);
        string methodKey = reader.String();
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

        object?[] values = new object?[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = serializer.Deserialize(arguments[i], method.ParameterTypes[i]);
        }

        return (new GrainCallRequest(target, method, values), hops, view);
    }

    public byte[] EncodeResult(GrainMethod method, object? result, string servedBy)
        => new WireWriter().String(servedBy).Blob(method.ResultType == typeof(void) ? [] : serializer.Serialize(result, method.ResultType)).ToArray();

    public (object? Result, string ServedBy) DecodeResult(GrainMethod method, byte[] payload)
    {
        var reader = new WireReader(payload);
        string servedBy = reader.String();
        byte[] result = reader.Blob();
        reader.End("a Call result");
        return (method.ResultType == typeof(void) ? null : serializer.Deserialize(result, method.ResultType), servedBy);
    }
}
