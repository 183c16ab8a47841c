using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Space;
using Microsoft.Extensions.Logging;

namespace Actors.Wal.Segments;

/// <summary>
/// Owns the log's segment files: the published <see cref="SegmentSet"/>, the manifest, the next segment prepared in the
/// background (a recycled file renamed and given a new header, not zeroed: see <see cref="SegmentHeader.RecordSalt"/>; or a
/// new file), and the files of deleted segments (recycled or deleted once their last reader let go).
/// </summary>
/// <remarks>
/// <para>Ownership: the set and the spare are changed only under <c>_lock</c> (the writer thread activates a spare;
/// the background thread prepares spares and recycles files; maintenance retires segments); every manifest write is
/// serialized by <c>_manifestLock</c> and lists exactly the current set, the ready spare and the segments Salvage kept.
/// The writer never waits for the background thread unless no spare is ready: then it creates the segment itself.</para>
/// <para>File protocol (each step fsynced before the next, see docs/wal-format.md): a spare is created (or a recycled
/// file renamed), its header written, the file and the directory fsynced, then the manifest lists it as a
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

    /// <summary>The encryption key named in the headers of new segments (null: not encrypted).</summary>
    public Encryption.EncryptionKey? EncryptionKey { get; init; }

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

    /// <summary>
    /// Rotations at which the writer found the next spare still being prepared and waited for it (any thread). Each is a
    /// stall of the append path: the spare's preparation did not keep up with the log.
    /// </summary>
    public long SpareWaits => Interlocked.Read(ref _spareWaits);

    /// <summary>
    /// Spares whose zero-filling stopped early because the writer was waiting for them (any thread): the rest of such a
    /// segment stays preallocated and unwritten (it reads as zeros), slower to sync over, but the writer does not wait
    /// for a whole segment's worth of zeros.
    /// </summary>
    public long ZeroFillsCut => Interlocked.Read(ref _zeroFillsCut);

    private long _segmentsDeleted;
    private long _sparesUsed;
    private long _createdInline;
    private long _spareWaits;
    private long _zeroFillsCut;
    private int _writerWaiting;

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

            string operation = verifying ? "checking the spare recovery kept" : needSpare ? "preparing the next segment" : "writing the manifest";
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
                LogBackgroundFailure(operation, ex);
            }
        }
    }
}
