using System.Collections.Concurrent;
using Actors.Checksums;
using Actors.Cluster.Messaging;
using Actors.Cluster.Storage;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Partitioning;

/// <summary>
/// The receiving end of a partition hand-off: stages the files the owner sends, then on commit checks every file's
/// length and CRC32C, makes the files and their directories durable, and installs them in place of any stale copy.
/// Nothing is served from them until the store grants the partition to this silo.
/// </summary>
internal sealed partial class PartitionTransferReceiver(PartitionLogHost host, Func<TransferBegin, CancellationToken, Task<string?>> checkExpected, Action<int> installed, ILogger logger)
{
    private readonly ConcurrentDictionary<Guid, Incoming> _incoming = new();

    public async Task<byte[]> BeginAsync(byte[] payload, CancellationToken cancellationToken)
    {
        TransferBegin begin = TransferBegin.Decode(payload);
        if (await checkExpected(begin, cancellationToken) is { } refusal)
        {
            throw new InvalidOperationException($"Transfer of partition {begin.Partition} from {begin.Source} refused: {refusal}");
        }

        foreach (string store in begin.Stores.Concat(begin.Files.Select(f => f.Store)))
        {
            if (!host.HasStore(store))
            {
                throw new InvalidOperationException($"Transfer of partition {begin.Partition} refused: store '{store}' is not configured on this silo, its data would be lost.");
            }
        }

        foreach (Incoming stale in _incoming.Values.Where(i => i.Begin.Partition == begin.Partition).ToArray())
        {
            Discard(stale);
        }

        var incoming = new Incoming(begin);
        foreach (string store in begin.Stores)
        {
            Directory.CreateDirectory(host.StagingDirectory(store, begin.Partition, begin.TransferId));
        }

        _incoming[begin.TransferId] = incoming;
        LogBegin(logger, begin.Partition, begin.Source, begin.Files.Count, begin.Files.Sum(f => f.Length));
        return [];
    }

    public async Task<byte[]> ChunkAsync(byte[] payload, CancellationToken cancellationToken)
    {
        TransferChunk chunk = TransferChunk.Decode(payload);
        Incoming incoming = Find(chunk.TransferId);
        if (chunk.FileIndex < 0 || chunk.FileIndex >= incoming.Begin.Files.Count)
        {
            throw new SiloProtocolException($"transfer chunk names file {chunk.FileIndex} of {incoming.Begin.Files.Count}");
        }

        PartitionFile file = incoming.Begin.Files[chunk.FileIndex];
        FileStream stream = incoming.Open(chunk.FileIndex, () => Path.Combine(
            host.StagingDirectory(file.Store, incoming.Begin.Partition, incoming.Begin.TransferId), file.RelativePath.Replace('/', Path.DirectorySeparatorChar)));
        if (chunk.Offset != stream.Position || chunk.Offset + chunk.Data.Length > file.Length)
        {
            throw new InvalidOperationException($"Transfer chunk of '{file.RelativePath}' at offset {chunk.Offset} (+{chunk.Data.Length}) does not follow {stream.Position} within {file.Length} bytes.");
        }

        await stream.WriteAsync(chunk.Data, cancellationToken);
        return [];
    }

    public async Task<byte[]> CommitAsync(byte[] payload)
    {
        Incoming incoming = Find(TransferIds.Decode(payload));
        TransferBegin begin = incoming.Begin;
        try
        {
            for (int i = 0; i < begin.Files.Count; i++)
            {
                PartitionFile file = begin.Files[i];
                string path = Path.Combine(host.StagingDirectory(file.Store, begin.Partition, begin.TransferId), file.RelativePath.Replace('/', Path.DirectorySeparatorChar));
                FileStream stream = incoming.Open(i, () => path);
                stream.Flush(flushToDisk: true);
                await stream.DisposeAsync();
                long length = new FileInfo(path).Length;
                uint crc = Crc32C.OfFile(path);
                if (length != file.Length || crc != file.Crc)
                {
                    throw new InvalidDataException($"Transferred file '{file.Store}/{file.RelativePath}' of partition {begin.Partition} has {length} bytes and CRC {crc:X8}; the sender listed {file.Length} bytes and CRC {file.Crc:X8}.");
                }
            }

            foreach (string store in begin.Stores)
            {
                string staging = host.StagingDirectory(store, begin.Partition, begin.TransferId);
                foreach (string directory in Directory.EnumerateDirectories(staging, "*", SearchOption.AllDirectories).Append(staging))
                {
                    DirectorySync.Fsync(directory);
                }
            }

            await host.InstallAsync(begin.Partition, begin.TransferId, begin.Stores);
        }
        catch
        {
            Discard(incoming);
            throw;
        }

        _incoming.TryRemove(begin.TransferId, out _);
        incoming.CloseFiles();
        LogInstalled(logger, begin.Partition, begin.Source, begin.Files.Count);
        installed(begin.Partition);
        return [];
    }

    public Task<byte[]> AbortAsync(byte[] payload)
    {
        if (_incoming.TryGetValue(TransferIds.Decode(payload), out Incoming? incoming))
        {
            Discard(incoming);
        }

        return Task.FromResult(Array.Empty<byte>());
    }

    /// <summary>Drops every transfer in progress (the silo stops).</summary>
    public void DiscardAll()
    {
        foreach (Incoming incoming in _incoming.Values.ToArray())
        {
            Discard(incoming);
        }
    }

    private Incoming Find(Guid id) => _incoming.TryGetValue(id, out Incoming? incoming)
        ? incoming
        : throw new InvalidOperationException($"No partition transfer {id:N} is in progress on this silo (it was abandoned or never began).");

    private void Discard(Incoming incoming)
    {
        _incoming.TryRemove(incoming.Begin.TransferId, out _);
        incoming.CloseFiles();
        try
        {
            host.DiscardStaging(incoming.Begin.Partition, incoming.Begin.TransferId);
        }
        catch (IOException ex)
        {
            LogDiscardFailed(logger, ex, incoming.Begin.Partition);
        }
    }

    private sealed class Incoming(TransferBegin begin)
    {
        private readonly FileStream?[] _files = new FileStream?[begin.Files.Count];

        public TransferBegin Begin { get; } = begin;

        public FileStream Open(int index, Func<string> path)
        {
            lock (_files)
            {
                if (_files[index] is { } open)
                {
                    return open;
                }

                string full = path();
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                return _files[index] = new FileStream(full, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            }
        }

        public void CloseFiles()
        {
            lock (_files)
            {
                foreach (FileStream? file in _files)
                {
                    file?.Dispose();
                }
            }
        }
    }

    [LoggerMessage(EventId = 4300, Level = LogLevel.Information, Message = "Receiving partition {Partition} from {Source}: {Files} files, {Bytes} bytes")]
    private static partial void LogBegin(ILogger logger, int partition, string source, int files, long bytes);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Partition {Partition} from {Source} installed ({Files} files verified); it is served once the store grants it")]
    private static partial void LogInstalled(ILogger logger, int partition, string source, int files);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Could not delete the staged transfer of partition {Partition}")]
    private static partial void LogDiscardFailed(ILogger logger, Exception exception, int partition);
}
