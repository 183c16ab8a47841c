using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Space;
using Microsoft.Extensions.Logging;

namespace Actors.Wal.Segments;

/// <summary>
/// Owns the log's segment files: the published <see cref="SegmentSet"/>, the manifest, the next segment prepared in the
/// background (a recycled file zeroed and renamed, or a new file), and the files of deleted segments (recycled or deleted
/// once their last reader let go).
/// </summary>
/// <remarks>
/// <para>Ownership: the set and the spare are changed only under <c>_lock</c> (the writer thread activates a spare;
/// the background thread prepares spares and recycles files; maintenance retires segments); every manifest write is
/// serialized by <c>_manifestLock</c> and lists exactly the current set, the ready spare and the segments Salvage kept.
/// The writer never waits for the background thread unless no spare is ready: then it creates the segment itself.</para>
/// <para>File protocol (each step fsynced before the next, see docs/wal-format.md): a spare is created (or a recycled
/// file renamed and zeroed), its header written, the file and the directory fsynced, then the manifest lists it as a
/// spare. Rotation needs no file-system metadata on the append path: the writer seals the old segment and starts
/// writing into the spare; recovery knows a spare after a sealed segment is the next segment. The manifest catches up
/// in the background.</para>
/// </remarks>
internal sealed partial class SegmentManager : ISpaceAccount
{
    private static readonly byte[] Zeros = new byte[1024 * 1024];
    private readonly WriteAheadLogOptions _options;
    private readonly IFileSystem _fileSystem;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<long> _nextLsn;
    private readonly Func<bool> _abandoned;
    private readonly Func<bool> _failed;
    private readonly Lock _lock = new();
    private readonly Lock _manifestLock = new();
    private readonly SemaphoreSlim _work = new(0);
    private readonly List<uint> _retained = [];
    private readonly Queue<(string Path, Task Released)> _recycled = new();
    private SegmentSet _set = SegmentSet.Empty;
    private readonly ManualResetEventSlim _spareChanged = new(false);
    private Segment? _spare;
    private Segment? _preparing;
    private uint _preparingId;
    private bool _renamedSinceManifest;
    private bool _spareRequested;
    private bool _verifying;
    private uint _maxId;
    private bool _manifestDirty;
    private bool _stopping;
    private Task _background = Task.CompletedTask;

    /// <summary>Creates the manager of <paramref name="options"/>' directory.</summary>
    public SegmentManager(WriteAheadLogOptions options, IFileSystem fileSystem, TimeProvider time, ILogger logger, Func<long> nextLsn, Func<bool> abandoned, Func<bool> failed)
    {
        _failed = failed;
        _options = options;
        _fileSystem = fileSystem;
        _time = time;
        _logger = logger;
        _nextLsn = nextLsn;
        _abandoned = abandoned;
    }

    /// <summary>The file name suffix of a deleted segment kept for reuse.</summary>
    public const string RecycledSuffix = ".recycle";

    /// <summary>The file name suffix of a prepared spare (renamed to its segment name when the writer takes it).</summary>
    public const string SpareSuffix = ".spare";

    /// <summary>The current segments (any thread).</summary>
    public SegmentSet Current => Volatile.Read(ref _set);

    /// <summary>Segments whose files were deleted or recycled since open.</summary>
    public long SegmentsDeleted => Interlocked.Read(ref _segmentsDeleted);

    /// <summary>Spares prepared in the background and taken by the writer since open.</summary>
    public long SparesUsed => Interlocked.Read(ref _sparesUsed);

    /// <summary>Segments the writer had to create itself because no spare was ready.</summary>
    public long SegmentsCreatedInline => Interlocked.Read(ref _createdInline);

    private long _segmentsDeleted;
    private long _sparesUsed;
    private long _createdInline;

    /// <summary>Adds live bytes to a segment of the current set (committer thread, or recovery).</summary>
    public void AddLive(uint segmentId, long delta) => Current.Find(segmentId)?.AddLive(delta);

    /// <summary>Takes over the state recovery found (before the log starts).</summary>
    public void Initialize(IEnumerable<Segment> segments, uint maxId, IEnumerable<uint> retained, Segment? spare, IEnumerable<string> recycled)
    {
        var set = SegmentSet.Empty;
        foreach (var segment in segments)
        {
            set = set.With(segment);
        }

        _set = set;
        _maxId = maxId;
        _retained.AddRange(retained);
        _spare = spare;
        foreach (string path in recycled)
        {
            _recycled.Enqueue((path, Task.CompletedTask));
        }
    }

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

    /// <summary>Starts preparing spares and recycling in the background.</summary>
    public void Start() => _background = Task.Factory.StartNew(BackgroundLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    /// <summary>Stops the background work (it finishes the step in progress).</summary>
    public async Task StopAsync()
    {
        lock (_lock)
        {
            _stopping = true;
        }

        _work.Release();
        await _background.ConfigureAwait(false);
    }

    /// <summary>Closes every segment file (the log is closing; readers still holding one keep it open until they let go).</summary>
    public void CloseAll()
    {
        List<Segment> all;
        lock (_lock)
        {
            all = [.. _set.All];
            if (_spare is not null)
            {
                all.Add(_spare);
            }

            _spare = null;
            Volatile.Write(ref _set, SegmentSet.Empty);
        }

        foreach (var segment in all)
        {
            segment.Retire();
        }
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
        while (true)
        {
            lock (_lock)
            {
                // Taken and published in one step: a concurrent manifest write lists the segment either as the spare
                // or as a live segment, never neither (a segment the writer writes into must always be listed).
                if (_spare is { } spare)
                {
                    _spare = null;
                    TakeIntoUse(spare);
                    Interlocked.Increment(ref _sparesUsed);
                    return spare;
                }

                if (_preparingId == 0)
                {
                    break;
                }

                // A spare is being prepared with the next id: wait for it (creating another segment now would give the
                // writer a higher id first, and positions must grow in write order).
                _spareChanged.Reset();
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

    /// <summary>Publishes <paramref name="segment"/> as the segment the writer writes into (writer thread, or recovery).</summary>
    public void Activate(Segment segment)
    {
        segment.ActivatedAtTicks = _time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            Volatile.Write(ref _set, _set.With(segment));
        }
    }

    /// <summary>
    /// Removes dead segments (maintenance, after a snapshot that no longer points into them): the manifest drops them
    /// first, then each file is recycled or deleted once its last reader let go.
    /// </summary>
    public void Retire(IReadOnlyCollection<Segment> dead)
    {
        if (dead.Count == 0)
        {
            return;
        }

        var ids = dead.Select(s => s.Id).ToHashSet();
        lock (_lock)
        {
            Volatile.Write(ref _set, _set.Without(ids));
        }

        // Dropped from the live list before any file is touched: from here on a crash leaves files that are not live,
        // which recovery removes, never a live segment that is missing.
        WriteManifest();
        foreach (var segment in dead)
        {
            segment.Retire();
        }

        Interlocked.Add(ref _segmentsDeleted, dead.Count);
        DisposeRetired(dead);
    }

    /// <summary>Persists the manifest: the current set, the ready spare, the segments Salvage kept (any thread).</summary>
    public void WriteManifest()
    {
        lock (_manifestLock)
        {
            if (_abandoned())
            {
                throw new IOException("The log was abandoned (simulated crash); nothing more is written.");
            }

            bool syncDirectory;
            lock (_lock)
            {
                syncDirectory = _renamedSinceManifest;
                _renamedSinceManifest = false;
            }

            if (syncDirectory)
            {
                // A spare taken into use was renamed without a directory fsync (none on the append path): make the
                // rename durable before a manifest lists the segment under its name.
                _fileSystem.SyncDirectory(_options.Directory);
            }

            List<ManifestEntry> entries;
            lock (_lock)
            {
                // A segment is listed as live only once every segment before it is durably sealed: until then the
                // writer may have switched to it while the previous seal can still be lost, and recovery must then
                // treat it as the unused spare it may still be.
                entries = [];
                bool earlierDurablySealed = true;
                foreach (var segment in _set.All)
                {
                    entries.Add(earlierDurablySealed ? ToManifestEntry(segment) : new ManifestEntry(segment.Id, ManifestState.Spare, 0, 0));
                    earlierDurablySealed &= segment.IsSealed && segment.DurableOffset >= segment.WrittenOffset;
                }

                foreach (var spare in new[] { _spare, _preparing })
                {
                    if (spare is not null)
                    {
                        entries.Add(new ManifestEntry(spare.Id, ManifestState.Spare, 0, 0));
                    }
                }

                foreach (uint id in _retained)
                {
                    if (!entries.Exists(e => e.Id == id))
                    {
                        entries.Add(new ManifestEntry(id, ManifestState.Open, 0, 0));
                    }
                }

                _manifestDirty = false;
            }

            DurableFile.Replace(_fileSystem, _options.Directory, SegmentManifest.FileName, SegmentManifest.TempFileName, SegmentManifest.Serialize(entries));
            var set = Current;
            foreach (var entry in entries)
            {
                if (entry.State != ManifestState.Spare && set.Find(entry.Id) is { } listed)
                {
                    listed.ListedLive = true;
                }
            }
        }
    }

    /// <summary>
    /// Makes sure a durable manifest lists <paramref name="segment"/> as live before anything written into it is
    /// acknowledged (committer thread; once per segment: the first commit after a rotation). The segments before it
    /// must be durably sealed by then (the committer syncs a rotation's group before it acknowledges).
    /// </summary>
    /// <exception cref="IOException">The manifest could not be written.</exception>
    public void EnsureListed(Segment segment)
    {
        if (!segment.ListedLive)
        {
            WriteManifest();
        }

        if (!segment.ListedLive)
        {
            throw new InvalidOperationException($"Segment {segment.Id} is written before the segments ahead of it are durably sealed.");
        }
    }

    /// <summary>
    /// A sealed segment is listed as sealed (a durable claim) only once its seal is durable; until then it stays open
    /// (recovery finds the seal by scanning).
    /// </summary>
    private static ManifestEntry ToManifestEntry(Segment segment)
        => segment.IsSealed && segment.DurableOffset >= segment.WrittenOffset
            ? new ManifestEntry(segment.Id, ManifestState.Sealed, segment.WrittenOffset, segment.SealedAtTicks)
            : new ManifestEntry(segment.Id, ManifestState.Open, 0, 0);

    private async Task BackgroundLoop()
    {
        while (true)
        {
            await _work.WaitAsync().ConfigureAwait(false);
            bool needSpare;
            bool manifestDirty;
            bool verifying;
            lock (_lock)
            {
                if (_stopping)
                {
                    return;
                }

                verifying = _verifying;
                needSpare = _spare is null;
                manifestDirty = _manifestDirty;
                _spareRequested = false;
            }

            try
            {
                if (_abandoned() || _failed())
                {
                    // A failed log writes nothing more (fsync is never retried, not even of another file). An adopted
                    // spare is given up unchecked, so a writer waiting for it creates a segment (and fails) instead.
                    if (verifying)
                    {
                        FinishVerification(null);
                    }

                    continue;
                }

                if (verifying)
                {
                    VerifyAdoptedSpare();
                }
                else if (needSpare)
                {
                    PrepareSpare();
                }
                else if (manifestDirty)
                {
                    WriteManifest();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not fatal here: the writer creates the next segment itself when no spare is ready, and fails the
                // log if that fails too (for example a full disk).
                LogBackgroundFailure(ex);
            }
        }
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
