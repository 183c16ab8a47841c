using Actors.Wal.Encryption;
using Actors.Wal.Format;
using Actors.Wal.IO;

namespace Actors.Wal.Segments;

/// <summary>
/// Asked before each chunk of zeros a new segment file gets (see <see cref="SegmentFileFactory.Create"/>): returns false
/// to stop zero-filling here (the rest stays preallocated or sparse and reads as zeros), or throws to abandon the file.
/// </summary>
/// <param name="filled">Bytes after the header already zeroed.</param>
/// <param name="total">Bytes after the header to zero in all.</param>
internal delegate bool ZeroFillStep(long filled, long total);

/// <summary>
/// Creates and renames segment files durably in the log directory: a new file (preallocated, zero-filled when
/// <see cref="WriteAheadLogOptions.ZeroFillSegments"/>) or a recycled one, then its header, then fsyncs of the file and the
/// directory. Holds configuration only (no state of its own): any thread.
/// </summary>
internal sealed class SegmentFileFactory
{
    private static readonly byte[] Zeros = new byte[1024 * 1024];
    private readonly WriteAheadLogOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<long> _nextLsn;
    private readonly Func<bool> _abandoned;

    /// <summary>Creates the factory of <paramref name="options"/>' directory.</summary>
    /// <param name="options">The log's options (directory, segment size, preallocation, zero-filling).</param>
    /// <param name="fileSystem">The file system.</param>
    /// <param name="time">Stamps the headers' creation time.</param>
    /// <param name="nextLsn">The LSN a new header names as its first.</param>
    /// <param name="abandoned">True once the log was abandoned (a simulated crash): nothing more is written.</param>
    public SegmentFileFactory(WriteAheadLogOptions options, IFileSystem fileSystem, TimeProvider time, Func<long> nextLsn, Func<bool> abandoned)
    {
        _options = options;
        FileSystem = fileSystem;
        _time = time;
        _nextLsn = nextLsn;
        _abandoned = abandoned;
    }

    /// <summary>The encryption key named in the headers of new segments (null: not encrypted).</summary>
    public EncryptionKey? EncryptionKey { get; init; }

    /// <summary>The file system the files live on.</summary>
    public IFileSystem FileSystem { get; }

    /// <summary>The log directory.</summary>
    public string Directory => _options.Directory;

    /// <summary>The size of every new segment.</summary>
    public long SegmentSizeBytes => _options.SegmentSizeBytes;

    /// <summary>
    /// Creates segment <paramref name="id"/>'s file under <paramref name="fileName"/>: <paramref name="recycled"/> renamed
    /// (kept as it is: see <see cref="SegmentHeader.RecordSalt"/>), or a new file (preallocated, and zeroed when
    /// <see cref="WriteAheadLogOptions.ZeroFillSegments"/>, in chunks of <see cref="ZeroFillPacing.ChunkBytes"/>, each
    /// fdatasynced before the next, <paramref name="step"/> asked before each); then its header; then fsyncs the file and
    /// the directory. The caller lists it in the manifest before anything is written into it.
    /// </summary>
    /// <remarks>On any exception the file is closed and deleted (nothing half-made stays behind) and the exception propagates.</remarks>
    public Segment Create(uint id, string fileName, string? recycled, ZeroFillStep? step)
    {
        ThrowIfAbandoned();
        string path = Path.Combine(_options.Directory, fileName);
        long size = _options.SegmentSizeBytes;
        IWalFile file;
        bool zero;
        if (recycled is not null)
        {
            // Not zeroed: its old records carry another segment's record salt, so they fail validation here (the end of
            // this segment's records); its blocks are already written, the cheapest state to write and sync over.
            FileSystem.RenameFile(recycled, path);
            file = FileSystem.OpenFile(path, WalFileMode.OpenExisting);
            if (file.Length < size && _options.PreallocateSegments)
            {
                file.SetLength(size);
            }

            zero = false;
        }
        else
        {
            ThrowIfNoRoomToPreallocate(path, size);
            file = FileSystem.OpenFile(path, WalFileMode.CreateNew, _options.PreallocateSegments ? size : 0);
            zero = _options.ZeroFillSegments;
        }

        try
        {
            if (zero)
            {
                ZeroFill(file, size, step);
            }

            var header = SegmentHeader.Create(id, _nextLsn(), _time.GetUtcNow().UtcTicks, size, EncryptionKey?.Id ?? 0, EncryptionKey?.Fingerprint ?? 0, recycled is not null);
            Span<byte> bytes = stackalloc byte[SegmentHeader.Size];
            header.Write(bytes);
            ThrowIfAbandoned();
            file.Write(0, bytes);
            ThrowIfAbandoned();
            file.Flush();
            ThrowIfAbandoned();
            SyncDirectory(path);
            return new Segment(header, path, file, SegmentHeader.Size, isSealed: false);
        }
        catch
        {
            file.Dispose();
            FileSystem.DeleteFile(path);
            throw;
        }
    }

    /// <summary>
    /// On a real disk, refuses (as a full disk: ENOSPC) a preallocation that cannot succeed because the device has less
    /// free space than the segment needs, without attempting it: a failing preallocation holds the device's last free
    /// space until it gives up, and a write of another file at that moment (the recovery snapshot, the manifest) fails
    /// with ENOSPC although the log did not need that space. Advisory only: the allocation's own ENOSPC stays the
    /// authority when space is taken meanwhile. Other file systems (tests' fault seams, simulators) are not asked.
    /// </summary>
    private void ThrowIfNoRoomToPreallocate(string path, long size)
    {
        if (!_options.PreallocateSegments || FileSystem is not PhysicalFileSystem)
        {
            return;
        }

        long free;
        try
        {
            free = new DriveInfo(_options.Directory).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return; // unknown: let the allocation answer
        }

        if (free < size)
        {
            throw new IOException($"Preallocating {size} bytes for '{path}' cannot succeed: only {free} bytes are free on the device (ENOSPC); not attempted.")
            {
                HResult = DiskFullErrno,
            };
        }
    }

    /// <summary>ENOSPC, in the low 16 bits of an <see cref="IOException"/>'s HResult (<see cref="LogFailedException.IsDiskFullError"/>).</summary>
    private const int DiskFullErrno = 28;

    /// <summary>
    /// Makes the new file's name durable. A failed directory sync is reported without the errno (never as a full disk):
    /// the names created, renamed or deleted before it may not be durable either, so it must fail the log rather than
    /// count as a refusal the log recovers from by itself (<see cref="LogDiskFullException"/>).
    /// </summary>
    private void SyncDirectory(string createdPath)
    {
        try
        {
            FileSystem.SyncDirectory(_options.Directory);
        }
        catch (IOException ex)
        {
            throw new IOException($"Syncing the directory '{_options.Directory}' after creating '{createdPath}' failed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Writes zeros over everything after the header of <paramref name="segment"/> and fsyncs it (an adopted spare that
    /// holds records of a switch a crash cut short). <paramref name="continueWith"/> is asked before each megabyte; it
    /// throws to stop.
    /// </summary>
    public void ZeroAfterHeader(Segment segment, Action continueWith)
    {
        long size = segment.File.Length;
        for (long offset = SegmentHeader.Size; offset < size; offset += Zeros.Length)
        {
            ThrowIfAbandoned();
            continueWith();
            segment.File.Write(offset, Zeros.AsSpan(0, (int)Math.Min(Zeros.Length, size - offset)));
        }

        segment.File.Flush();
    }

    /// <summary>
    /// Renames <paramref name="segment"/>'s file to <paramref name="fileName"/> in the log directory and reopens it there;
    /// with <paramref name="syncDirectory"/> the rename is durable on return (otherwise the caller makes it durable later).
    /// </summary>
    public void Rename(Segment segment, string fileName, bool syncDirectory)
    {
        string path = Path.Combine(_options.Directory, fileName);
        FileSystem.RenameFile(segment.Path, path);
        segment.Renamed(path, FileSystem.OpenFile(path, WalFileMode.OpenExisting));
        if (syncDirectory)
        {
            FileSystem.SyncDirectory(_options.Directory);
        }
    }

    /// <summary>Throws an <see cref="IOException"/> once the log was abandoned (a simulated crash writes nothing more).</summary>
    public void ThrowIfAbandoned()
    {
        if (_abandoned())
        {
            throw new IOException("The log was abandoned (simulated crash); nothing more is written.");
        }
    }

    /// <summary>
    /// Every byte after the header becomes zero (blocks already written are faster to write and sync over): paced, each
    /// chunk fdatasynced before the next (<see cref="ZeroFillPacing.ChunkBytes"/>), or, with a chunk of 0, in 1 MiB writes
    /// and one fsync at the end. Stops early when <paramref name="step"/> says so.
    /// </summary>
    private void ZeroFill(IWalFile file, long size, ZeroFillStep? step)
    {
        if (file.Length != size)
        {
            file.SetLength(size);
        }

        int chunk = Math.Min(ZeroFillPacing.ChunkBytes, Zeros.Length);
        bool paced = chunk > 0;
        chunk = paced ? chunk : Zeros.Length;
        for (long offset = SegmentHeader.Size; offset < size; offset += chunk)
        {
            ThrowIfAbandoned();
            if (step is not null && !step(offset - SegmentHeader.Size, size - SegmentHeader.Size))
            {
                return;
            }

            file.Write(offset, Zeros.AsSpan(0, (int)Math.Min(chunk, size - offset)));
            if (paced)
            {
                file.FlushData();
            }
        }
    }
}
