using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Segments;
using Actors.Wal.Space;
using Actors.Wal.Writing;

namespace Actors.Wal;

public sealed partial class WriteAheadLog
{
    private void WriteBuffer()
    {
        if (_bufferLength == 0)
        {
            return;
        }

        ThrowIfAbandoned();
        var segment = _active!;
        segment.File.Write(segment.WriteOffset, _buffer.AsSpan(0, _bufferLength));
        segment.WriteOffset += _bufferLength;
        _bufferLength = 0;
    }

    private void Fsync(Segment segment)
    {
        ThrowIfAbandoned();
        long start = _time.GetTimestamp();
        // fdatasync: the data and the size/extent changes needed to read it back (see PhysicalFile.FlushData).
        segment.File.FlushData();
        Interlocked.Increment(ref _fsyncs);
        _instruments.RecordFsync(_time.GetElapsedTime(start));
    }

    private void ThrowIfAbandoned()
    {
        if (_abandoned)
        {
            throw new IOException("The log was abandoned (simulated crash); nothing more is written.");
        }
    }

    private void MaybeRotateByAge(List<WriteRequest> group)
    {
        if (_options.SegmentMaxAge is not { } maxAge || _active is null || _active.WriteOffset <= SegmentHeader.Size)
        {
            return;
        }

        if (_time.GetUtcNow() - _active.CreatedAt >= maxAge && group.Exists(r => r.FramedBytes > 0))
        {
            Rotate();
        }
    }

    /// <summary>Seals the active segment (seal record, fsync) and starts the next one (create, header, fsync file and directory).</summary>
    private void Rotate()
    {
        var old = _active!;
        EnsureBuffer(_bufferLength + RecordHeader.SealSize);
        RecordCodec.WriteSeal(_buffer.AsSpan(_bufferLength), NextTimestamp());
        _bufferLength += RecordHeader.SealSize;
        WriteBuffer();
        Fsync(old);
        old.IsSealed = true;
        CreateSegment(_maxSegmentId + 1, _nextLsn);
        _snapshotDue = true;
        LogRotated(old.Id, old.WriteOffset, _active!.Id);
    }

    private void CreateSegment(uint id, long baseLsn)
    {
        ThrowIfAbandoned();
        string path = Path.Combine(_options.Directory, SegmentHeader.FileName(id));
        var header = new SegmentHeader(id, baseLsn, _time.GetUtcNow().UtcTicks, _options.SegmentSizeBytes);
        var file = _fileSystem.OpenFile(path, WalFileMode.CreateNew, _options.PreallocateSegments ? _options.SegmentSizeBytes : 0);
        try
        {
            Span<byte> bytes = stackalloc byte[SegmentHeader.Size];
            header.Write(bytes);
            file.Write(0, bytes);
            file.Flush();
            Interlocked.Increment(ref _fsyncs);
            _fileSystem.SyncDirectory(_options.Directory);
        }
        catch
        {
            file.Dispose();
            throw;
        }

        var segment = new Segment(header, path, file, SegmentHeader.Size, isSealed: false);
        lock (_stateLock)
        {
            _segments[id] = segment;
        }

        _maxSegmentId = Math.Max(_maxSegmentId, id);

        // The segment becomes live only now, before any record is written into it (a crash before this point leaves
        // a file recovery removes as an incomplete creation).
        WriteManifest();
        _active = segment;
    }
}
