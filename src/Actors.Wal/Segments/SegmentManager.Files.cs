using Actors.Wal.Format;
using Actors.Wal.IO;
using Microsoft.Extensions.Logging;

namespace Actors.Wal.Segments;

internal sealed partial class SegmentManager
{
    /// <summary>
    /// Creates the next segment's file: a recycled file renamed (kept as it is: see <see cref="SegmentHeader.RecordSalt"/>),
    /// or a new file (preallocated, and zeroed when <see cref="WriteAheadLogOptions.ZeroFillSegments"/>); then its header;
    /// then fsyncs the file and the directory. The caller lists it in the manifest before anything is written into it.
    /// </summary>
    private Segment CreateSegmentFile(uint id, string fileName, string? recycled)
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
            _fileSystem.RenameFile(recycled, path);
            file = _fileSystem.OpenFile(path, WalFileMode.OpenExisting);
            if (file.Length < size && _options.PreallocateSegments)
            {
                file.SetLength(size);
            }

            zero = false;
        }
        else
        {
            file = _fileSystem.OpenFile(path, WalFileMode.CreateNew, _options.PreallocateSegments ? size : 0);
            zero = _options.ZeroFillSegments;
        }

        try
        {
            if (zero)
            {
                // Every byte after the header becomes zero: blocks already written are faster to write and sync over.
                if (file.Length != size)
                {
                    file.SetLength(size);
                }

                // Paced (each chunk fdatasynced before the next: see ZeroFillChunkBytes), or 0: one fsync at the end.
                int chunk = ZeroFillChunkBytes;
                bool paced = chunk > 0;
                chunk = paced ? chunk : Zeros.Length;
                for (long offset = SegmentHeader.Size; offset < size; offset += chunk)
                {
                    ThrowIfAbandoned();
                    if (Volatile.Read(ref _writerWaiting) != 0)
                    {
                        // The writer caught up with this spare and waits for it (the log fills segments faster than
                        // zeros can be written ahead of it): hand it over now. The rest stays as preallocated (or
                        // sparse) space, which reads as zeros like the zero-filled part, only slower to sync over.
                        Interlocked.Increment(ref _zeroFillsCut);
                        break;
                    }

                    file.Write(offset, Zeros.AsSpan(0, (int)Math.Min(chunk, size - offset)));
                    if (paced)
                    {
                        file.FlushData();
                    }
                }
            }

            var header = SegmentHeader.Create(id, _nextLsn(), _time.GetUtcNow().UtcTicks, size, EncryptionKey?.Id ?? 0, EncryptionKey?.Fingerprint ?? 0, recycled is not null);
            Span<byte> bytes = stackalloc byte[SegmentHeader.Size];
            header.Write(bytes);
            ThrowIfAbandoned();
            file.Write(0, bytes);
            ThrowIfAbandoned();
            file.Flush();
            ThrowIfAbandoned();
            _fileSystem.SyncDirectory(_options.Directory);
            return new Segment(header, path, file, SegmentHeader.Size, isSealed: false);
        }
        catch
        {
            file.Dispose();
            _fileSystem.DeleteFile(path);
            throw;
        }
    }

    /// <summary>
    /// Renames retired segments' files for reuse (up to <see cref="WriteAheadLogOptions.MaxRecycledSegments"/>) or deletes
    /// them. Immediately, even while a reader still holds one (its open handle keeps reading the same file); a recycled
    /// file is only zeroed and reused once its last reader let go.
    /// </summary>
    private void DisposeRetired(IReadOnlyCollection<Segment> retired)
    {
        foreach (var segment in retired)
        {
            ThrowIfAbandoned();
            bool keep;
            lock (_lock)
            {
                // A file that held erased records is deleted: a recycled file keeps its bytes until it is reused.
                keep = _options.RecycleSegments && _recycled.Count < _options.MaxRecycledSegments && !segment.HoldsErasedData;
            }

            if (keep)
            {
                string target = segment.Path + RecycledSuffix;
                _fileSystem.RenameFile(segment.Path, target);
                lock (_lock)
                {
                    _recycled.Enqueue((target, segment.WhenReleased));
                }
            }
            else
            {
                _fileSystem.DeleteFile(segment.Path);
            }
        }

        _fileSystem.SyncDirectory(_options.Directory);
    }

    /// <summary>
    /// Deletes every file kept for reuse (an erase: a recycled file keeps its old segment's records until it is reused
    /// and zeroed) and syncs the directory; returns how many. A reader still holding one keeps reading its open handle.
    /// </summary>
    public int DiscardRecycledFiles()
    {
        List<string> paths;
        lock (_lock)
        {
            paths = [.. _recycled.Select(r => r.Path)];
            _recycled.Clear();
        }

        foreach (string path in paths)
        {
            _fileSystem.DeleteFile(path);
        }

        if (paths.Count > 0)
        {
            _fileSystem.SyncDirectory(_options.Directory);
        }

        return paths.Count;
    }

    /// <summary>Checks (and if need be zeroes) the spare recovery kept, then hands it to the writer (background thread).</summary>
    private void VerifyAdoptedSpare()
    {
        Segment spare;
        lock (_lock)
        {
            spare = _preparing!;
        }

        Segment? verified = null;
        try
        {
            var reader = new SegmentReader(spare.File, _options.SegmentSizeBytes);
            if (!reader.IsZeroFrom(SegmentHeader.Size) && reader.FindNextValidRecord(SegmentHeader.Size - 1) >= 0)
            {
                // Records of a switch a crash cut short (never acknowledged; they carry this segment's salt): they must
                // not be read as this segment's. Other bytes (a recycled file's old records) fail validation already.
                long size = spare.File.Length;
                for (long offset = SegmentHeader.Size; offset < size; offset += Zeros.Length)
                {
                    ThrowIfAbandoned();
                    spare.File.Write(offset, Zeros.AsSpan(0, (int)Math.Min(Zeros.Length, size - offset)));
                }

                spare.File.Flush();
            }

            verified = spare;
        }
        finally
        {
            FinishVerification(verified);
        }
    }

    /// <summary>
    /// Ends the check of an adopted spare: <paramref name="verified"/> becomes the spare, or (null) the adopted file is
    /// closed and left unlisted (the next manifest omits it; the next recovery removes it).
    /// </summary>
    private void FinishVerification(Segment? verified)
    {
        Segment? dropped;
        lock (_lock)
        {
            dropped = verified is null ? _preparing : null;
            _spare = verified;
            _preparing = null;
            _preparingId = 0;
            _verifying = false;
            _spareChanged.Set();
        }

        dropped?.Retire();
    }

    /// <summary>Recycled files left by the previous process: reused (up to the limit) or deleted (recovery).</summary>
    public static List<string> AdoptRecycledFiles(IFileSystem fileSystem, WriteAheadLogOptions options, bool readOnly)
    {
        var kept = new List<string>();
        foreach (string path in fileSystem.ListFiles(options.Directory, RecycledSuffix).Order(StringComparer.Ordinal))
        {
            if (!readOnly && options.RecycleSegments && kept.Count < options.MaxRecycledSegments)
            {
                kept.Add(path);
            }
            else if (!readOnly)
            {
                fileSystem.DeleteFile(path);
            }
        }

        return kept;
    }

    private void ThrowIfAbandoned()
    {
        if (_abandoned())
        {
            throw new IOException("The log was abandoned (simulated crash); nothing more is written.");
        }
    }

    [LoggerMessage(10, LogLevel.Warning, "Background segment work failed while {Operation}; the log keeps running (the writer creates the next segment itself when no spare is ready, and the next change rewrites the manifest)")]
    private partial void LogBackgroundFailure(string operation, Exception exception);
}
