using Actors.Wal.Format;
using Actors.Wal.IO;

namespace Actors.Wal.Segments;

internal sealed partial class SegmentManager
{
    /// <summary>Sets the spare recovery found unused (before the log starts).</summary>
    public void SetSpare(Segment? spare)
    {
        lock (_lock)
        {
            _spare = spare;
            if (spare is not null)
            {
                _maxId = Math.Max(_maxId, spare.Id);
            }
        }
    }

    /// <summary>
    /// Keeps a spare recovery found (before the log starts): it stays listed, and the background thread checks that
    /// everything after its header is zero (it may hold records of a switch a crash cut short: those are zeroed) before
    /// the writer may take it.
    /// </summary>
    public void AdoptSpare(Segment spare)
    {
        string sparePath = Path.Combine(_options.Directory, SegmentHeader.FileName(spare.Id)) + SpareSuffix;
        if (spare.Path != sparePath)
        {
            _fileSystem.RenameFile(spare.Path, sparePath);
            spare.Renamed(sparePath, _fileSystem.OpenFile(sparePath, WalFileMode.OpenExisting));
            _fileSystem.SyncDirectory(_options.Directory);
        }

        lock (_lock)
        {
            _preparing = spare;
            _preparingId = spare.Id;
            _verifying = true;
            _maxId = Math.Max(_maxId, spare.Id);
        }

        _work.Release(); // the background thread checks it as soon as it starts
    }

    /// <summary>Renames a spare recovery took into use to its segment name, durably (recovery's repair step).</summary>
    public void FinishRecoveredSpare(Segment segment)
    {
        if (!segment.Path.EndsWith(SpareSuffix, StringComparison.Ordinal))
        {
            return;
        }

        string path = Path.Combine(_options.Directory, SegmentHeader.FileName(segment.Id));
        _fileSystem.RenameFile(segment.Path, path);
        segment.Renamed(path, _fileSystem.OpenFile(path, WalFileMode.OpenExisting));
        _fileSystem.SyncDirectory(_options.Directory);
    }

    /// <summary>Completes once a spare is ready or no preparation is under way (tests that count file operations wait for it).</summary>
    internal async Task WhenSpareSettledAsync()
    {
        while (true)
        {
            lock (_lock)
            {
                if (_spare is not null || _stopping || (_preparingId == 0 && !_spareRequested && !_verifying))
                {
                    return;
                }
            }

            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Asks the background thread to prepare a spare if none is ready and, after a rotation
    /// (<paramref name="manifestChanged"/>), to bring the manifest up to date. At open the manifest recovery wrote is
    /// current: nothing is rewritten unless a spare must be made.
    /// </summary>
    public void RequestBackgroundWork(bool manifestChanged = true)
    {
        lock (_lock)
        {
            _manifestDirty |= manifestChanged;
            _spareRequested = _spare is null;
        }

        _work.Release();
    }

    /// <summary>
    /// The next segment for the writer (writer thread): the spare prepared in the background (nothing to write on the
    /// append path), or, when none is ready, a segment created now (listed in the manifest before it is returned).
    /// </summary>
    public Segment TakeNextSegment()
    {
        bool waited = false;
        while (true)
        {
            lock (_lock)
            {
                // Taken and published in one step: a concurrent manifest write lists the segment either as the spare
                // or as a live segment, never neither (a segment the writer writes into must always be listed).
                if (_spare is { } spare)
                {
                    _spare = null;
                    Volatile.Write(ref _writerWaiting, 0);
                    TakeIntoUse(spare);
                    Interlocked.Increment(ref _sparesUsed);
                    return spare;
                }

                if (_preparingId == 0)
                {
                    Volatile.Write(ref _writerWaiting, 0);
                    break;
                }

                // A spare is being prepared with the next id: wait for it (creating another segment now would give the
                // writer a higher id first, and positions must grow in write order). Its zero-filling sees the writer
                // waiting and stops at the next chunk.
                _spareChanged.Reset();
                Volatile.Write(ref _writerWaiting, 1);
                if (!waited)
                {
                    waited = true;
                    Interlocked.Increment(ref _spareWaits);
                }
            }

            _spareChanged.Wait();
        }

        Interlocked.Increment(ref _createdInline);
        return CreateListedSegment();
    }

    /// <summary>
    /// Renames a spare to its segment name and publishes it (caller holds <c>_lock</c>). The rename is made durable by
    /// the next manifest write (which fsyncs the directory first); until then recovery finds the spare under either name.
    /// </summary>
    private void TakeIntoUse(Segment spare)
    {
        string path = Path.Combine(_options.Directory, SegmentHeader.FileName(spare.Id));
        _fileSystem.RenameFile(spare.Path, path);
        spare.Renamed(path, _fileSystem.OpenFile(path, WalFileMode.OpenExisting));
        spare.ActivatedAtTicks = _time.GetUtcNow().UtcTicks;
        Volatile.Write(ref _set, _set.With(spare));
        _renamedSinceManifest = true;
        _manifestDirty = true;
    }

    /// <summary>
    /// Creates a segment now and lists it in the manifest as open before returning it (recovery, or the writer when no
    /// spare is ready): a crash before the manifest write leaves a file recovery removes as an unfinished creation.
    /// </summary>
    public Segment CreateListedSegment()
    {
        uint id;
        lock (_lock)
        {
            id = ++_maxId;
        }

        var segment = CreateSegmentFile(id, SegmentHeader.FileName(id), recycled: null);
        Activate(segment);
        WriteManifest();
        return segment;
    }

    private void PrepareSpare()
    {
        string? recycled = null;
        uint id;
        lock (_lock)
        {
            if (_spare is not null || _preparingId != 0 || _stopping)
            {
                return;
            }

            id = _preparingId = ++_maxId;

            // A recycled file is zeroed before reuse: only once no reader of its old segment holds it any more.
            if (_recycled.TryPeek(out var candidate) && candidate.Released.IsCompleted)
            {
                recycled = _recycled.Dequeue().Path;
            }
        }

        try
        {
            var spare = CreateSegmentFile(id, SegmentHeader.FileName(id) + SpareSuffix, recycled);
            lock (_lock)
            {
                _preparing = spare;
            }

            // Listed as a spare before the writer can take it: a segment the writer writes into is always listed.
            WriteManifest();
            lock (_lock)
            {
                _spare = spare;
                _preparing = null;
            }
        }
        finally
        {
            lock (_lock)
            {
                _preparingId = 0;
                _preparing = null;
                _spareChanged.Set();
            }
        }
    }
}
