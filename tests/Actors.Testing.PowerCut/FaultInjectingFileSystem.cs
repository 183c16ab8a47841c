using Actors.Wal.IO;

namespace Actors.Testing.PowerCut;

/// <summary>
/// Wraps the real file system and injects faults (after FASTER's SimulatedFlakyDevice): fsync failure, a full disk
/// (ENOSPC after a byte budget, with a partial write), a torn write, and a gate that holds fsync until released.
/// Records every operation boundary in <see cref="Operations"/>. Damage helpers (bit flip, zeroed range) work on
/// closed files.
/// </summary>
/// <param name="inner">The file system faults are injected into.</param>
/// <param name="layout">Where the engine under test keeps its records (the torn write, the segment read gates and the zero-fill gate apply there only).</param>
public sealed class FaultInjectingFileSystem(IFileSystem inner, FaultInjectionLayout layout) : IFileSystem
{
    public const int EnospcErrno = 28;
    public const int EioErrno = 5;

    private long _bytesWritten;

    /// <summary>Faults injected into the real file system.</summary>
    public FaultInjectingFileSystem(FaultInjectionLayout layout)
        : this(PhysicalFileSystem.Instance, layout)
    {
    }

    /// <summary>Where the engine under test keeps its records.</summary>
    public FaultInjectionLayout Layout { get; } = layout;

    /// <summary>Every create/open/write/fsync/rename/delete/dirsync, in order.</summary>
    public List<string> Operations { get; } = [];

    /// <summary>When set, every file fsync throws an I/O error with <see cref="FsyncErrno"/>.</summary>
    public bool FailFsync { get; set; }

    /// <summary>The errno a failing fsync reports (<see cref="FailFsync"/>): EIO unless set (ENOSPC 28: a full disk).</summary>
    public int FsyncErrno { get; set; } = EioErrno;

    /// <summary>When set, every write to a file whose name starts with <see cref="FailedWritesPrefix"/> throws an I/O error with this errno (nothing written).</summary>
    public int? FailedWritesErrno { get; set; }

    /// <summary>The file name prefix <see cref="FailedWritesErrno"/> applies to (for example <c>index.snapshot</c>).</summary>
    public string FailedWritesPrefix { get; set; } = "";

    /// <summary>When set, every rename throws an I/O error with this errno.</summary>
    public int? RenameErrno { get; set; }

    private long? _freeBytes;

    /// <summary>Bytes the "disk" accepts in writes from now on (setting it resets the count); past it writes are cut and throw ENOSPC.</summary>
    public long? FreeBytes
    {
        get => _freeBytes;
        set
        {
            _freeBytes = value;
            _bytesWritten = 0;
        }
    }

    /// <summary>
    /// When set, the next write of records into a segment stores only this many bytes and throws (a torn write). Writes
    /// that are not record writes pass: segment headers, the zero-filling of spares, the snapshot and the manifest,
    /// which the engine's background components write at any moment (tearing one of those instead would leave the
    /// writer running and a test waiting for the log to fail would never end).
    /// </summary>
    public int? TearNextWriteAfter { get; set; }

    /// <summary>When set, fsync blocks until the event is set (to build group commits deterministically).</summary>
    public ManualResetEventSlim? FsyncGate { get; set; }

    /// <summary>Signalled each time a fsync starts waiting on <see cref="FsyncGate"/>.</summary>
    public SemaphoreSlim FsyncEntered { get; } = new(0);

    public int FileFsyncs;

    /// <summary>
    /// When set, every fsync (full or data) of a file whose name starts with <see cref="GatedFilePrefix"/> blocks until
    /// the event is set (one background file's I/O held while the rest of the log runs).
    /// </summary>
    public ManualResetEventSlim? FileGate { get; set; }

    /// <summary>The file name prefix <see cref="FileGate"/> holds (for example <c>index.snapshot</c>).</summary>
    public string GatedFilePrefix { get; set; } = "";

    /// <summary>Signalled each time an fsync starts waiting on <see cref="FileGate"/>.</summary>
    public SemaphoreSlim FileGateEntered { get; } = new(0);

    /// <summary>
    /// When set, each zero-filling write into a spare (a <c>.spare</c> file, after its header, all zeros) waits for one
    /// release of this semaphore: the background's preparation of the next segment held chunk by chunk.
    /// </summary>
    public SemaphoreSlim? ZeroFillGate { get; set; }

    /// <summary>Signalled each time a zero-filling write starts waiting on <see cref="ZeroFillGate"/>.</summary>
    public SemaphoreSlim ZeroFillEntered { get; } = new(0);

    /// <summary>
    /// When set, the next read of a segment's record area (any thread) takes the gate and blocks until it is set; later
    /// reads pass (a one-shot hold of, for example, the maintenance thread reading a stream it copies).
    /// </summary>
    public ManualResetEventSlim? NextSegmentReadGate;

    /// <summary>When true, every read of a segment's record area fails with an I/O error (EIO).</summary>
    public bool FailSegmentReads { get; set; }

    /// <summary>Signalled when a read starts waiting on <see cref="NextSegmentReadGate"/>.</summary>
    public SemaphoreSlim SegmentReadGateEntered { get; } = new(0);

    /// <summary>Reads of any file through this file system (segment reads, snapshot and manifest loads).</summary>
    public int Reads;

    /// <summary>Bytes those reads returned.</summary>
    public long BytesRead;

    public bool DirectoryExists(string path) => inner.DirectoryExists(path);

    public void CreateDirectory(string path) => inner.CreateDirectory(path);

    public IReadOnlyList<string> ListFiles(string directory, string suffix) => inner.ListFiles(directory, suffix);

    public bool FileExists(string path) => inner.FileExists(path);

    /// <summary>
    /// When set, creating a segment or spare file (a new <c>.wal</c> or <c>.spare</c> file) throws an I/O error with this errno
    /// and creates nothing, as a failed preallocation does (ENOSPC 28: a full disk; EIO 5: a failing device).
    /// </summary>
    public int? SegmentCreationErrno { get; set; }

    /// <summary>When set, every directory sync throws an I/O error with this errno.</summary>
    public int? DirectorySyncErrno { get; set; }

    public IWalFile OpenFile(string path, WalFileMode mode, long preallocationSize = 0)
    {
        Record($"open {mode} {Path.GetFileName(path)}");
        if (mode == WalFileMode.CreateNew && SegmentCreationErrno is { } errno
            && (path.EndsWith(".wal", StringComparison.Ordinal) || path.EndsWith(".spare", StringComparison.Ordinal)))
        {
            throw new IOException($"Creating '{path}' failed (injected errno {errno}).", errno);
        }

        return new FaultyFile(this, inner.OpenFile(path, mode, preallocationSize));
    }

    public void DeleteFile(string path)
    {
        Record($"delete {Path.GetFileName(path)}");
        inner.DeleteFile(path);
    }

    public void RenameFile(string source, string destination)
    {
        Record($"rename {Path.GetFileName(source)} {Path.GetFileName(destination)}");
        if (RenameErrno is { } errno)
        {
            throw new IOException($"Renaming '{source}' failed (injected errno {errno}).", errno);
        }

        inner.RenameFile(source, destination);
    }

    public void SyncDirectory(string directory)
    {
        Record("dirsync");
        if (DirectorySyncErrno is { } errno)
        {
            throw new IOException($"Syncing the directory '{directory}' failed (injected errno {errno}).", errno);
        }

        inner.SyncDirectory(directory);
    }

    public IDisposable LockFile(string lockFilePath) => inner.LockFile(lockFilePath);

    /// <summary>Flips one bit of a closed file.</summary>
    public static void FlipBit(string path, long offset, int bit = 0)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        int b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ (1 << bit)));
    }

    /// <summary>Zeroes [offset, offset + count) of a closed file.</summary>
    public static void ZeroRange(string path, long offset, int count)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        stream.Write(new byte[count]);
    }

    private void Record(string operation)
    {
        lock (Operations)
        {
            Operations.Add(operation);
        }
    }

    private sealed class FaultyFile(FaultInjectingFileSystem owner, IWalFile inner) : IWalFile
    {
        public string Path => inner.Path;

        public long Length => inner.Length;

        public int Read(long offset, Span<byte> buffer)
        {
            if (owner.FailSegmentReads && owner.Layout.IsSegmentRecordArea(Path, offset))
            {
                throw new IOException("Input/output error (injected segment read failure)", EioErrno);
            }

            if (owner.Layout.IsSegmentRecordArea(Path, offset) && Interlocked.Exchange(ref owner.NextSegmentReadGate, null) is { } gate)
            {
                owner.SegmentReadGateEntered.Release();
                if (!gate.Wait(TimeSpan.FromSeconds(60)))
                {
                    throw new IOException("The test never released the segment read gate.");
                }
            }

            int read = inner.Read(offset, buffer);
            Interlocked.Increment(ref owner.Reads);
            Interlocked.Add(ref owner.BytesRead, read);
            return read;
        }

        private bool IsRecordWrite(long offset, ReadOnlySpan<byte> data)
            => owner.Layout.IsSegmentRecordArea(Path, offset) && data.IndexOfAnyExcept((byte)0) >= 0;

        public void Write(long offset, ReadOnlySpan<byte> data)
        {
            if (owner.ZeroFillGate is { } zeroFillGate && owner.Layout.IsSpareRecordArea(Path, offset) && data.IndexOfAnyExcept((byte)0) < 0)
            {
                owner.ZeroFillEntered.Release();
                if (!zeroFillGate.Wait(TimeSpan.FromSeconds(60)))
                {
                    throw new IOException("The test never released the zero-fill gate.");
                }
            }

            owner.Record($"write {System.IO.Path.GetFileName(Path)} {offset} {data.Length}");
            if (owner.FailedWritesErrno is { } failedWritesErrno && System.IO.Path.GetFileName(Path).StartsWith(owner.FailedWritesPrefix, StringComparison.Ordinal))
            {
                throw new IOException($"Writing '{Path}' failed (injected errno {failedWritesErrno}).", failedWritesErrno);
            }

            if (owner.TearNextWriteAfter is { } keep && IsRecordWrite(offset, data))
            {
                owner.TearNextWriteAfter = null;
                inner.Write(offset, data[..Math.Min(keep, data.Length)]);
                throw new IOException("Injected torn write.", EioErrno);
            }

            if (owner.FreeBytes is { } free)
            {
                long room = free - owner._bytesWritten;
                if (data.Length > room)
                {
                    if (room > 0)
                    {
                        inner.Write(offset, data[..(int)room]);
                        owner._bytesWritten += room;
                    }

                    throw new IOException("No space left on device (injected).", EnospcErrno);
                }
            }

            inner.Write(offset, data);
            Interlocked.Add(ref owner._bytesWritten, data.Length);
        }

        public void Flush() => Sync(dataOnly: false);

        public void FlushData() => Sync(dataOnly: true);

        private void Sync(bool dataOnly)
        {
            owner.Record($"fsync {System.IO.Path.GetFileName(Path)}");
            if (owner.FileGate is { } fileGate && System.IO.Path.GetFileName(Path).StartsWith(owner.GatedFilePrefix, StringComparison.Ordinal))
            {
                owner.FileGateEntered.Release();
                if (!fileGate.Wait(TimeSpan.FromSeconds(60)))
                {
                    throw new TimeoutException("The test never released the file gate.");
                }
            }

            if (dataOnly && owner.FsyncGate is { } gate)
            {
                owner.FsyncEntered.Release();
                if (!gate.Wait(TimeSpan.FromSeconds(30)))
                {
                    throw new TimeoutException("The test never released the fsync gate.");
                }
            }

            if (owner.FailFsync)
            {
                throw new IOException($"Injected fsync failure (errno {owner.FsyncErrno}).", owner.FsyncErrno);
            }

            Interlocked.Increment(ref owner.FileFsyncs);
            if (dataOnly)
            {
                inner.FlushData();
            }
            else
            {
                inner.Flush();
            }
        }

        public void SetLength(long length) => inner.SetLength(length);

        public void Dispose() => inner.Dispose();
    }
}
