namespace Actors.Testing.PowerCut;

/// <summary>
/// An in-memory disk in the manner of CrashMonkey/ALICE: per file (inode) the durable content (what the last
/// fsync covered) and the unsynced operations since; per directory the durable names (as of the last directory
/// fsync) and the unsynced creates/renames/deletes. Every mutation is recorded as a <see cref="DiskOp"/> so a run can
/// be replayed to any boundary and a post-crash image built there.
/// </summary>
/// <remarks>Thread-safe: one lock guards everything (the writer loop and readers use it concurrently).</remarks>
public sealed partial class SimulatedDisk
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, Inode> _inodes = [];
    private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);
    private Dictionary<string, int> _durableNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private HashSet<string> _durableDirectories = new(StringComparer.Ordinal);
    private readonly List<DiskOp> _pendingDirectoryOps = [];
    private readonly List<DiskOp> _log = [];
    private int _nextInode = 1;

    /// <summary>When false, operations are applied but not appended to <see cref="Log"/> (replay, images).</summary>
    public bool Recording { get; init; } = true;

    /// <summary>Called before each recorded operation with its index (the boundary number).</summary>
    public Action<int>? BeforeOperation { get; set; }

    /// <summary>The recorded operations, in order.</summary>
    public IReadOnlyList<DiskOp> Log
    {
        get
        {
            lock (_lock)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>Operations recorded so far.</summary>
    public int OperationCount
    {
        get
        {
            lock (_lock)
            {
                return _log.Count;
            }
        }
    }

    /// <summary>A disk whose files are all durable with the given contents.</summary>
    public static SimulatedDisk FromImage(IReadOnlyDictionary<string, byte[]> image, bool recording = false)
    {
        var disk = new SimulatedDisk { Recording = recording };
        foreach (var (path, content) in image)
        {
            int id = disk._nextInode++;
            disk._inodes[id] = new Inode(id, content);
            disk._names[path] = id;
        }

        disk._durableNames = new Dictionary<string, int>(disk._names, StringComparer.Ordinal);
        foreach (var path in image.Keys)
        {
            for (var directory = Path.GetDirectoryName(path); !IsRoot(directory); directory = Path.GetDirectoryName(directory))
            {
                disk._directories.Add(directory!);
            }
        }

        disk._durableDirectories = [.. disk._directories];
        return disk;
    }

    public bool Exists(string path)
    {
        lock (_lock)
        {
            return _names.ContainsKey(path);
        }
    }

    public IReadOnlyList<string> Names()
    {
        lock (_lock)
        {
            return [.. _names.Keys];
        }
    }

    public int InodeOf(string path)
    {
        lock (_lock)
        {
            return _names.TryGetValue(path, out int id) ? id : throw new FileNotFoundException($"Simulated file '{path}' does not exist.", path);
        }
    }

    public long Length(int inode)
    {
        lock (_lock)
        {
            return _inodes[inode].LiveLength;
        }
    }

    public int Read(int inode, long offset, Span<byte> buffer)
    {
        lock (_lock)
        {
            var node = _inodes[inode];
            if (offset >= node.LiveLength)
            {
                return 0;
            }

            int n = (int)Math.Min(buffer.Length, node.LiveLength - offset);
            node.Live.AsSpan((int)offset, n).CopyTo(buffer);
            return n;
        }
    }

    /// <summary>The current (live) content of a file.</summary>
    public byte[] Content(string path)
    {
        lock (_lock)
        {
            var node = _inodes[_names[path]];
            return node.Live.AsSpan(0, (int)node.LiveLength).ToArray();
        }
    }

    public int Create(string path)
    {
        lock (_lock)
        {
            if (_names.ContainsKey(path))
            {
                throw new IOException($"Simulated file '{path}' already exists.");
            }

            int id = _nextInode;
            Apply(new DiskOp(DiskOpKind.Create, path, null, id, 0, null));
            return id;
        }
    }

    /// <summary>The largest file the simulated file system allows (EFBIG beyond, like a file-size limit or quota).</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;

    public void Write(int inode, string path, long offset, ReadOnlySpan<byte> data)
    {
        ThrowIfTooLarge(path, offset + data.Length);
        Do(new DiskOp(DiskOpKind.Write, path, null, inode, offset, data.ToArray()));
    }

    public void SetLength(int inode, string path, long length)
    {
        ThrowIfTooLarge(path, length);
        Do(new DiskOp(DiskOpKind.SetLength, path, null, inode, length, null));
    }

    private static void ThrowIfTooLarge(string path, long end)
    {
        if (end > MaxFileBytes || end < 0)
        {
            throw new IOException($"File too large: '{path}' would reach {end} bytes (simulated limit {MaxFileBytes}).", 27);
        }
    }

    public void Fsync(int inode, string path) => Do(new DiskOp(DiskOpKind.Fsync, path, null, inode, 0, null));

    public void Rename(string source, string destination) => Do(new DiskOp(DiskOpKind.Rename, source, destination, 0, 0, null));

    public void Delete(string path)
    {
        lock (_lock)
        {
            if (_names.ContainsKey(path))
            {
                Apply(new DiskOp(DiskOpKind.Delete, path, null, 0, 0, null));
            }
        }
    }

    /// <summary>Makes every directory's names durable (the engines that keep all their files in one directory).</summary>
    public void SyncDirectory() => Do(new DiskOp(DiskOpKind.DirSync, "", null, 0, 0, null));

    /// <summary>Makes the names of <paramref name="directory"/> durable (its creates, renames and deletes so far); other directories' stay pending.</summary>
    public void SyncDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Do(new DiskOp(DiskOpKind.DirSync, directory, null, 0, 0, null));
    }

    /// <summary>Drops a file's unsynced operations from durability for good (a failed fsync: the kernel dropped the dirty pages).</summary>
    public void PoisonUnsynced(int inode)
    {
        lock (_lock)
        {
            _inodes[inode].Poisoned = true;
            _inodes[inode].Pending.Clear();
        }
    }

    /// <summary>Replays one recorded operation (for building images at a boundary).</summary>
    public void Replay(DiskOp op) => Do(op);

    /// <summary>Builds the post-crash disk content for <paramref name="variant"/>: path to bytes.</summary>
    /// <param name="variant">What survives.</param>
    /// <param name="random">Chooses prefixes and tear points.</param>
    /// <param name="tearGranularity">1: a torn write keeps any byte prefix; 512: only whole 512-byte sectors (sector-atomic devices).</param>
    public Dictionary<string, byte[]> CrashImage(CrashVariant variant, Random random, int tearGranularity = 1)
    {
        lock (_lock)
        {
            var (names, directories) = variant switch
            {
                CrashVariant.ProcessCrash => (new Dictionary<string, int>(_names, StringComparer.Ordinal), _directories),
                CrashVariant.DurableOnly => (new Dictionary<string, int>(_durableNames, StringComparer.Ordinal), _durableDirectories),
                _ => ApplyDirectoryPrefix(random.Next(_pendingDirectoryOps.Count + 1)),
            };
            var image = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (path, id) in names)
            {
                if (InSurvivingDirectory(path, directories))
                {
                    image[path] = FileImage(_inodes[id], variant, random, tearGranularity);
                }
            }

            return image;
        }
    }

    private (Dictionary<string, int> Names, HashSet<string> Directories) ApplyDirectoryPrefix(int count)
    {
        var names = new Dictionary<string, int>(_durableNames, StringComparer.Ordinal);
        var directories = new HashSet<string>(_durableDirectories, StringComparer.Ordinal);
        foreach (var op in _pendingDirectoryOps.Take(count))
        {
            if (op.Kind == DiskOpKind.CreateDirectory)
            {
                directories.Add(op.Path);
            }

            ApplyName(names, op);
        }

        return (names, directories);
    }

    private static byte[] FileImage(Inode node, CrashVariant variant, Random random, int tearGranularity)
    {
        if (variant == CrashVariant.ProcessCrash)
        {
            return node.Live.AsSpan(0, (int)node.LiveLength).ToArray();
        }

        var content = new FileBuffer(node.Durable);
        var pending = node.Pending;
        switch (variant)
        {
            case CrashVariant.RandomPrefix:
                foreach (var op in pending.Take(random.Next(pending.Count + 1)))
                {
                    content.Apply(op, int.MaxValue);
                }

                break;
            case CrashVariant.TornLastWrite when pending.Count > 0:
                for (int i = 0; i < pending.Count - 1; i++)
                {
                    content.Apply(pending[i], int.MaxValue);
                }

                var last = pending[^1];
                content.Apply(last, last.Kind == DiskOpKind.Write ? TearPoint(last, random, tearGranularity) : int.MaxValue);
                break;
            default:
                break;
        }

        return content.ToArray();
    }

    /// <summary>How many leading bytes of a torn write survive: any byte, or only up to a sector boundary of the file.</summary>
    private static int TearPoint(DiskOp write, Random random, int granularity)
    {
        int cut = random.Next(write.Data!.Length);
        if (granularity <= 1)
        {
            return cut;
        }

        long end = write.Offset + cut;
        long boundary = end - (end % granularity);
        return (int)Math.Max(0, boundary - write.Offset);
    }

    private void Do(DiskOp op)
    {
        lock (_lock)
        {
            Apply(op);
        }
    }

    private void Apply(DiskOp op)
    {
        if (Recording)
        {
            BeforeOperation?.Invoke(_log.Count);
            _log.Add(op);
        }

        switch (op.Kind)
        {
            case DiskOpKind.Create:
                _nextInode = Math.Max(_nextInode, op.Inode + 1);
                _inodes[op.Inode] = new Inode(op.Inode, []);
                _names[op.Path] = op.Inode;
                _pendingDirectoryOps.Add(op);
                break;
            case DiskOpKind.Write:
            case DiskOpKind.SetLength:
                var node = _inodes[op.Inode];
                node.ApplyLive(op);
                if (!node.Poisoned)
                {
                    node.Pending.Add(op);
                }

                break;
            case DiskOpKind.Fsync:
                var synced = _inodes[op.Inode];
                if (!synced.Poisoned)
                {
                    synced.Durable = synced.Live.AsSpan(0, (int)synced.LiveLength).ToArray();
                }

                synced.Pending.Clear();
                break;
            case DiskOpKind.Rename:
            case DiskOpKind.Delete:
                ApplyName(_names, op);
                _pendingDirectoryOps.Add(op);
                break;
            case DiskOpKind.CreateDirectory:
                _directories.Add(op.Path);
                _pendingDirectoryOps.Add(op);
                break;
            case DiskOpKind.DirSync when op.Path.Length == 0:
                _durableNames = new Dictionary<string, int>(_names, StringComparer.Ordinal);
                _durableDirectories = [.. _directories];
                _pendingDirectoryOps.Clear();
                break;
            case DiskOpKind.DirSync:
                foreach (var name in _durableNames.Keys.Where(n => IsIn(n, op.Path)).ToArray())
                {
                    _durableNames.Remove(name);
                }

                foreach (var (name, id) in _names.Where(n => IsIn(n.Key, op.Path)))
                {
                    _durableNames[name] = id;
                }

                _durableDirectories.UnionWith(_directories.Where(d => IsIn(d, op.Path)));

                _pendingDirectoryOps.RemoveAll(pending => IsIn(pending.Path, op.Path));
                break;
            default:
                break;
        }
    }

    /// <summary>Whether <paramref name="path"/> names a file directly in <paramref name="directory"/> (a rename counts in its source's directory).</summary>
    private static bool IsIn(string path, string directory) => string.Equals(Path.GetDirectoryName(path), directory, StringComparison.Ordinal);

    private static void ApplyName(Dictionary<string, int> names, DiskOp op)
    {
        switch (op.Kind)
        {
            case DiskOpKind.Create:
                names[op.Path] = op.Inode;
                break;
            case DiskOpKind.Rename when names.TryGetValue(op.Path, out int id):
                names.Remove(op.Path);
                names[op.Destination!] = id;
                break;
            case DiskOpKind.Delete:
                names.Remove(op.Path);
                break;
            default:
                break;
        }
    }
}
