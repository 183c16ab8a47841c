using Actors.Cluster.GrainLocation;
using Actors.Cluster.Membership;
using Actors.Cluster.Messaging;
using Actors.Cluster.Partitioning;
using Actors.Cluster.Replication;
using Actors.Invocation;
using Actors.Serialization;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Routing;

/// <summary>
/// Serves the requests other silos send: forwarded calls, directory traffic, partition transfers and grants, and
/// replication messages (handed to the replica this silo hosts for their partition through <c>replication</c>).
/// </summary>
internal sealed partial class ClusterMessageHandler(
    MembershipAgent membership,
    GrainDirectory directory,
    PartitionTransferReceiver receiver,
    PartitionOwnershipAgent ownership,
    RemoteCallCodec codec,
    Func<IGrainCallInvoker> invoker,
    ReplicationInbox replication,
    TimeProvider time,
    ILogger logger) : ISiloMessageHandler
{
    private readonly ForwardedCallCancellations _cancellations = new(time);

    /// <inheritdoc />
    public async Task<byte[]> HandleAsync(SiloAddress sender, SiloMessageType type, byte[] payload, CancellationToken cancellationToken)
    {
        switch (type)
        {
            case SiloMessageType.Ping:
                return [];
            case SiloMessageType.Call:
                return await CallAsync(sender, payload, cancellationToken);
            case SiloMessageType.CancelCall:
                (ulong callId, ulong tokenId) = DecodeCancel(payload);
                _cancellations.Cancel(sender, callId, tokenId);
                return [];
            case SiloMessageType.DirectoryRegister:
                return await directory.HandleRegisterAsync(payload, cancellationToken);
            case SiloMessageType.DirectoryUnregister:
                return directory.HandleUnregister(payload);
            case SiloMessageType.DirectoryLookup:
                return await directory.HandleLookupAsync(payload, cancellationToken);
            case SiloMessageType.DirectoryCollect:
                return directory.HandleCollect(payload);
            case SiloMessageType.TransferBegin:
                return await receiver.BeginAsync(payload, cancellationToken);
            case SiloMessageType.TransferChunk:
                return await receiver.ChunkAsync(payload, cancellationToken);
            case SiloMessageType.TransferCommit:
                return await receiver.CommitAsync(payload);
            case SiloMessageType.TransferAbort:
                return await receiver.AbortAsync(payload);
            case SiloMessageType.OwnershipGranted:
                OwnershipGranted.Decode(payload);
                await membership.RefreshAsync(cancellationToken);
                ownership.Nudge();
                return [];
            default:
                throw new SiloProtocolException($"unknown request type {(byte)type} from {sender}");
        }
    }

    /// <inheritdoc />
    public void HandleOneWay(SiloAddress sender, SiloMessageType type, byte[] payload)
    {
        switch (type)
        {
            case SiloMessageType.Replication:
                replication.Deliver(payload);
                break;
            default:
                throw new SiloProtocolException($"unknown one-way message type {(byte)type} from {sender}");
        }
    }

    /// <summary>Encodes a CancelCall payload (layout in <see cref="RemoteCallCodec"/>).</summary>
    public static byte[] EncodeCancel(ulong callId, ulong tokenId) => new WireWriter().UInt64(callId).UInt64(tokenId).ToArray();

    private static (ulong CallId, ulong TokenId) DecodeCancel(byte[] payload)
    {
        var reader = new WireReader(payload);
        ulong callId = reader.UInt64();
        ulong tokenId = reader.UInt64();
        reader.End("a CancelCall");
        return (callId, tokenId);
    }

    private async Task<byte[]> CallAsync(SiloAddress sender, byte[] payload, CancellationToken cancellationToken)
    {
        (GrainCallRequest request, int hops, long senderView, IncomingCallCancellation scope) = codec.DecodeCall(payload, sender, _cancellations);
        using (scope)
        {
            if (membership.Current is { } current && senderView > current.TableVersion)
            {
                // The caller saw a newer table (a move or a death): catch up before routing, so the call does not bounce back.
                await membership.RefreshAsync(cancellationToken);
            }

            ForwardContext.Set(hops);
            object? result;
            try
            {
                result = await invoker().InvokeAsync(request, cancellationToken);
            }
            catch (Exception ex) when (ex is not (ClusterException or SiloUnavailableException or PartitionUnavailableException or TimeoutException)
                && !cancellationToken.IsCancellationRequested)
            {
                // The grain's own exception: it travels serialized, as on the gateway. Routing errors stay response
                // errors (SiloErrors) so the calling silo's router acts on them.
                byte[] response = codec.EncodeException(ex, membership.Name, out SerializerException? notSerializable);
                if (notSerializable is not null)
                {
                    LogExceptionNotSerializable(logger, request.Target, request.Method.Key, ex.GetType().FullName ?? ex.GetType().Name, notSerializable.Message);
                }

                return response;
            }

            try
            {
                return codec.EncodeResult(request.Method, result, membership.Name);
            }
            catch (SerializerException ex)
            {
                // The result cannot be serialized: the caller gets the typed error naming the method's result, as a
                // gateway client does, instead of a routing failure.
                return codec.EncodeException(ex, membership.Name, out _);
            }
        }
    }

    [LoggerMessage(EventId = 4702, Level = LogLevel.Warning, Message = "Forwarded call {GrainId} {MethodKey} threw {ExceptionType}, which cannot be serialized ({Reason}); the calling silo gets its type name and message only")]
    private static partial void LogExceptionNotSerializable(ILogger logger, GrainId grainId, string methodKey, string exceptionType, string reason);
}
