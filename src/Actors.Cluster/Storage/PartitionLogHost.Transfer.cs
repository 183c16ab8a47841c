using Actors.Checksums;
using Actors.Wal;

namespace Actors.Cluster.Storage;

/// <content>Listing a closed partition's files for a transfer, and staging and installing received ones.</content>
internal sealed partial class PartitionLogHost
{
    /// <summary>
    /// The stores holding a log directory for <paramref name="partition"/> and every file in them (the lock file aside),
    /// with lengths and CRCs. The partition must be closed so its files do not change.
    /// </summary>
    public (IReadOnlyList<string> Stores, IReadOnlyList<PartitionFile> Files) ListFiles(int partition)
    {
        if (_open.ContainsKey(partition))
        {
            throw new InvalidOperationException($"Partition {partition} is open; close it before transferring its files.");
        }

        var stores = new List<string>();
        var files = new List<PartitionFile>();
        foreach (PartitionedEventLog store in _stores.Values.OrderBy(s => s.StoreName, StringComparer.Ordinal))
        {
            string root = PartitionDirectory(store, partition);
            if (!Directory.Exists(root))
            {
                continue;
            }

            stores.Add(store.StoreName);
            foreach (string path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                string relative = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
                if (relative == WriteAheadLog.LockFileName)
                {
                    continue;
                }

                files.Add(new PartitionFile(store.StoreName, relative, new FileInfo(path).Length, Crc32C.OfFile(path)));
            }
        }

        return (stores, files);
    }

    /// <summary>The full path of a listed file on this silo.</summary>
    public string SourcePath(int partition, PartitionFile file)
        => Path.Combine(PartitionDirectory(StoreOf(file.Store), partition), file.RelativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Where a transfer of <paramref name="partition"/> stages one store's files until it is installed.</summary>
    public string StagingDirectory(string storeName, int partition, Guid transferId)
        => Path.Combine(StoreOf(storeName).BaseOptions.Directory, PartitionsDirectoryName, $".incoming-{partition:D5}-{transferId:N}");

    /// <summary>Whether a store of this name is registered here.</summary>
    public bool HasStore(string storeName) => _stores.ContainsKey(storeName);

    /// <summary>
    /// Installs a verified, durable staged transfer of the (closed) partition: in every store the staged directory
    /// replaces the local one, and a store the sender had no log for loses any stale local one. Each rename is made durable.
    /// </summary>
    public async Task InstallAsync(int partition, Guid transferId, IReadOnlyCollection<string> sentStores)
    {
        SemaphoreSlim gate = Gate(partition);
        await gate.WaitAsync();
        try
        {
            if (_open.ContainsKey(partition))
            {
                throw new InvalidOperationException($"Partition {partition} is open here; a transfer cannot replace its logs.");
            }

            foreach (PartitionedEventLog store in _stores.Values)
            {
                string final = PartitionDirectory(store, partition);
                DeleteDirectory(final);
                if (sentStores.Contains(store.StoreName))
                {
                    Directory.Move(StagingDirectory(store.StoreName, partition, transferId), final);
                    DirectorySync.Fsync(Path.GetDirectoryName(final)!);
                }
            }

            _installs.AddOrUpdate(partition, 1, static (_, count) => count + 1);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>How many transfers of <paramref name="partition"/> were installed here since the silo started.</summary>
    /// <remarks>Read before a claim creates directories: <see cref="DeleteUnclaimedAsync"/> then tells an install that came meanwhile.</remarks>
    public long InstallCount(int partition) => _installs.GetValueOrDefault(partition);

    /// <summary>
    /// Deletes the (empty) log directories a claim of <paramref name="partition"/> created before it lost the claim to another
    /// silo, unless a transfer of the partition was installed here since <paramref name="installsBefore"/> (serialized
    /// with installs): that silo may be handing the partition to this one, and its files are then the partition's only copy
    /// once the grant is written.
    /// </summary>
    /// <returns>Whether the directories were deleted.</returns>
    public async Task<bool> DeleteUnclaimedAsync(int partition, long installsBefore)
    {
        SemaphoreSlim gate = Gate(partition);
        await gate.WaitAsync();
        try
        {
            if (_open.ContainsKey(partition) || InstallCount(partition) != installsBefore)
            {
                return false;
            }

            Delete(partition);
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Deletes what a transfer staged.</summary>
    public void DiscardStaging(int partition, Guid transferId)
    {
        foreach (PartitionedEventLog store in _stores.Values)
        {
            string staging = StagingDirectory(store.StoreName, partition, transferId);
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>Deletes the staging directories of every transfer (at startup: a transfer never survives a restart).</summary>
    public void DiscardAllStaging()
    {
        foreach (PartitionedEventLog store in _stores.Values)
        {
            string root = Path.Combine(store.BaseOptions.Directory, PartitionsDirectoryName);
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (string directory in Directory.EnumerateDirectories(root, ".*"))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private PartitionedEventLog StoreOf(string storeName) => _stores.TryGetValue(storeName, out PartitionedEventLog? store)
        ? store
        : throw new InvalidOperationException($"Write-ahead-log store '{storeName}' is not configured on silo '{SiloName}'.");
}
