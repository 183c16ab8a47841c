using Actors.Cluster.Messaging;
using Actors.Cluster.Storage;

namespace Actors.Cluster.Partitioning;

/*
 * Partition transfer payloads (silo-to-silo requests; layouts with WireWriter conventions):
 *   TransferBegin    Partition:i32 | TransferId:Blob(16) | Epoch:i64 | Source:String | StoreCount:u32 | Store:String*
 *                    | FileCount:u32 | (Store:String | Path:String | Length:i64 | Crc:u32)*          response: empty
 *   TransferChunk    TransferId:Blob(16) | FileIndex:i32 | Offset:i64 | Data:Blob                   response: empty
 *   TransferCommit   TransferId:Blob(16)                                                            response: empty (installed)
 *   TransferAbort    TransferId:Blob(16)                                                            response: empty
 *   OwnershipGranted Partition:i32 | Epoch:i64                                                       response: empty
 */

/// <summary>The manifest a transfer starts with.</summary>
internal sealed record TransferBegin(int Partition, Guid TransferId, long Epoch, string Source, IReadOnlyList<string> Stores, IReadOnlyList<PartitionFile> Files)
{
    public byte[] Encode()
    {
        var writer = new WireWriter().Int32(Partition).Blob(TransferId.ToByteArray()).Int64(Epoch).String(Source).UInt32((uint)Stores.Count);
        foreach (string store in Stores)
        {
            writer.String(store);
        }

        writer.UInt32((uint)Files.Count);
        foreach (PartitionFile file in Files)
        {
            writer.String(file.Store).String(file.RelativePath).Int64(file.Length).UInt32(file.Crc);
        }

        return writer.ToArray();
    }

    public static TransferBegin Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        int partition = reader.Int32();
        Guid id = TransferIds.Read(ref reader);
        long epoch = reader.Int64();
        string source = reader.String();
        var stores = new string[reader.Count(4, "store")];
        for (int i = 0; i < stores.Length; i++)
        {
            stores[i] = reader.String();
        }

        var files = new PartitionFile[reader.Count(24, "file")];
        for (int i = 0; i < files.Length; i++)
        {
            files[i] = new PartitionFile(reader.String(), reader.String(), reader.Int64(), reader.UInt32());
            if (files[i].Length < 0 || files[i].RelativePath.Length == 0 || files[i].RelativePath.Contains("..", StringComparison.Ordinal) || files[i].RelativePath.StartsWith('/'))
            {
                throw new SiloProtocolException($"transfer file {i} has an invalid path '{files[i].RelativePath}' or length {files[i].Length}");
            }
        }

        reader.End("TransferBegin");
        return new TransferBegin(partition, id, epoch, source, stores, files);
    }
}

/// <summary>One piece of one file.</summary>
internal readonly record struct TransferChunk(Guid TransferId, int FileIndex, long Offset, ReadOnlyMemory<byte> Data)
{
    public byte[] Encode() => new WireWriter(Data.Length + 48).Blob(TransferId.ToByteArray()).Int32(FileIndex).Int64(Offset).Blob(Data.Span).ToArray();

    public static TransferChunk Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        var chunk = new TransferChunk(TransferIds.Read(ref reader), reader.Int32(), reader.Int64(), reader.Blob());
        reader.End("TransferChunk");
        return chunk;
    }
}

/// <summary>The grant notice: the store made the receiver the partition's owner under an epoch.</summary>
internal readonly record struct OwnershipGranted(int Partition, long Epoch)
{
    public byte[] Encode() => new WireWriter().Int32(Partition).Int64(Epoch).ToArray();

    public static OwnershipGranted Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        var granted = new OwnershipGranted(reader.Int32(), reader.Int64());
        reader.End("OwnershipGranted");
        return granted;
    }
}

/// <summary>Transfer ids on the wire (16 bytes).</summary>
internal static class TransferIds
{
    public static byte[] Encode(Guid id) => new WireWriter().Blob(id.ToByteArray()).ToArray();

    public static Guid Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        Guid id = Read(ref reader);
        reader.End("a transfer id");
        return id;
    }

    public static Guid Read(ref WireReader reader)
    {
        ReadOnlySpan<byte> bytes = reader.BlobSpan();
        return bytes.Length == 16 ? new Guid(bytes) : throw new SiloProtocolException($"a transfer id has {bytes.Length} bytes, not 16");
    }
}
