using Actors.Cluster.GrainLocation;
using Actors.Cluster.Membership;
using Actors.Cluster.Messaging;
using Actors.Cluster.Partitioning;
using Actors.Invocation;

namespace Actors.Cluster.Routing;

/// <summary>Serves the requests other silos send: forwarded calls, directory traffic, partition transfers and grants.</summary>
internal sealed class ClusterMessageHandler(
    MembershipAgent membership,
    GrainDirectory directory,
    PartitionTransferReceiver receiver,
    PartitionOwnershipAgent ownership,
    RemoteCallCodec codec,
    Func<IGrainCallInvoker> invoker) : ISiloMessageHandler
{
    /// <inheritdoc />
    public async Task<byte[]> HandleAsync(SiloAddress sender, SiloMessageType type, byte[] payload, CancellationToken cancellationToken)
    {
        switch (type)
        {
            case SiloMessageType.Ping:
                return [];
            case SiloMessageType.Call:
                return await CallAsync(payload, cancellationToken);
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
                throw new SiloProtocolException($"unknown message type {(byte)type} from {sender}");
        }
    }

    private async Task<byte[]> CallAsync(byte[] payload, CancellationToken cancellationToken)
    {
        (GrainCallRequest request, int hops, long senderView) = codec.DecodeCall(payload);
        if (membership.Current is { } current && senderView > current.TableVersion)
        {
            // The caller saw a newer table (a move or a death): catch up before routing, so the call does not bounce back.
            await membership.RefreshAsync(cancellationToken);
        }

        ForwardContext.Set(hops);
        object? result = await invoker().InvokeAsync(request, cancellationToken);
        return codec.EncodeResult(request.Method, result, membership.Name);
    }
}
