using Actors.Cluster.Messaging;
using Actors.Cluster.Storage;

namespace Actors.Cluster.Partitioning;

/// <summary>The sending end of a partition hand-off: lists the closed partition's files and streams them to the new owner in chunks.</summary>
internal sealed class PartitionTransferSender(PartitionLogHost host, ISiloTransport transport, ClusterOptions options)
{
    /// <summary>Sends every file of the closed <paramref name="partition"/> and has the target verify and install them; returns the bytes sent.</summary>
    public async Task<long> SendAsync(SiloAddress target, int partition, long epoch, string source, CancellationToken cancellationToken)
    {
        (IReadOnlyList<string> stores, IReadOnlyList<PartitionFile> files) = host.ListFiles(partition);
        var begin = new TransferBegin(partition, Guid.NewGuid(), epoch, source, stores, files);
        await transport.SendAsync(target, SiloMessageType.TransferBegin, begin.Encode(), options.ControlRequestTimeout, cancellationToken);
        long sent = 0;
        try
        {
            byte[] buffer = new byte[options.TransferChunkBytes];
            for (int i = 0; i < files.Count; i++)
            {
                await using FileStream file = new(host.SourcePath(partition, files[i]), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                long offset = 0;
                int read;
                while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    var chunk = new TransferChunk(begin.TransferId, i, offset, buffer.AsMemory(0, read));
                    await transport.SendAsync(target, SiloMessageType.TransferChunk, chunk.Encode(), options.ControlRequestTimeout, cancellationToken);
                    offset += read;
                    sent += read;
                }

                if (offset != files[i].Length)
                {
                    throw new IOException($"Partition {partition} file '{files[i].RelativePath}' changed while it was sent ({offset} bytes read, {files[i].Length} listed).");
                }
            }

            await transport.SendAsync(target, SiloMessageType.TransferCommit, TransferIds.Encode(begin.TransferId), options.MoveTimeout, cancellationToken);
            return sent;
        }
        catch
        {
            try
            {
                await transport.SendAsync(target, SiloMessageType.TransferAbort, TransferIds.Encode(begin.TransferId), options.ControlRequestTimeout, CancellationToken.None);
            }
            catch (Exception ex) when (ex is SiloUnreachableException or TimeoutException)
            {
                // The target is gone: it drops staged transfers when it restarts.
            }

            throw;
        }
    }
}
