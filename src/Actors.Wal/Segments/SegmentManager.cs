using System.Runtime.CompilerServices;
using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Space;
using Microsoft.Extensions.Logging;

namespace Actors.Wal.Segments;

/// <summary>
/// Owns the log's segments: the published <see cref="SegmentSet"/>, the ids, the manifest's content, and the files of
/// deleted segments (recycled or deleted once their last reader let go). Collaborators own the rest: the
/// <see cref="SparePipeline"/> prepares the next segment ahead of the writer, the <see cref="ManifestWriter"/> writes the
/// manifest, the <see cref="SegmentFileFactory"/> creates files, <see cref="RecycledSegmentFiles"/> keeps files for reuse.
/// </summary>
/// <remarks>
/// <para>Ownership: the set, the ids and the segments Salvage kept are this type's, changed under <c>_lock</c> (the writer
/// publishes a segment it switches to; maintenance retires segments; recovery initializes). This type never calls into
/// the spare pipeline while holding <c>_lock</c> (the pipeline publishes a taken spare through a callback that takes it).
/// The writer never waits for the pipeline unless a spare is being prepared: with none ready or under way it creates the
/// segment itself.</para>
/// <para>File protocol (each step fsynced before the next, see docs/wal-format.md): a spare is created (or a recycled
/// file renamed), its header written, the file and the directory fsynced, then the manifest lists it as a spare.
/// Rotation needs no file-system metadata on the append path: the writer seals the old segment and starts writing into
/// the spare; recovery knows a spare after a sealed segment is the next segment. The manifest catches up in the
/// background.</para>
/// </remarks>
internal sealed partial class SegmentManager : ISpaceAccount
{
    /// <summary><see cref="BackgroundActivity"/> flag: a spare is being prepared (zero-filled, given a header, synced, listed) or checked.</summary>
    public const int PreparingSpareActivity = 1;

    /// <summary><see cref="BackgroundActivity"/> flag: a manifest write (temp file, fsync, rename, directory fsync) is under way.</summary>
    public const int WritingManifestActivity = 2;

    /// <summary>The file name suffix of a deleted segment kept for reuse.</summary>
    public const string RecycledSuffix = ".recycle";

    /// <summary>The file name suffix of a prepared spare (renamed to its segment name when the writer takes it).</summary>
    public const string SpareSuffix = ".spare";

    private readonly WriteAheadLogOptions _options;
    private readonly TimeProvider _time;
    private readonly SegmentFileFactory _files;
    private readonly RecycledSegmentFiles _recycled = new();
    private readonly SparePipeline _spares;
    private readonly ManifestWriter _manifest;
    private readonly Lock _lock = new();
    private readonly List<uint> _retained = [];
    private SegmentSet _set = SegmentSet.Empty;
    private uint _maxId;
    private long _segmentsDeleted;
    private long _createdInline;

    /// <summary>Creates the manager of <paramref name="options"/>' directory.</summary>
    /// <param name="options">The log's options.</param>
    /// <param name="files">Creates and renames the segment files.</param>
    /// <param name="time">Stamps activations.</param>
    /// <param name="logger">Logs background failures.</param>
    /// <param name="abandoned">True once the log was abandoned (a simulated crash): nothing more is written.</param>
    /// <param name="failed">True once the log failed: nothing more is written in the background.</param>
    public SegmentManager(WriteAheadLogOptions options, SegmentFileFactory files, TimeProvider time, ILogger logger, Func<bool> abandoned, Func<bool> failed)
    {
        _options = options;
        _files = files;
        _time = time;
        Func<bool> halted = () => abandoned() || failed();
        _manifest = new ManifestWriter(files.FileSystem, options.Directory, SnapshotManifest, MarkListed, abandoned, halted, () => _spares!.IsPreparing, logger);
        _spares = new SparePipeline(files, _recycled, NextId, _manifest.Write, _manifest.Resume, halted, time, logger);
    }

    /// <summary>The current segments (any thread).</summary>
    public SegmentSet Current => Volatile.Read(ref _set);

    /// <summary>Segments whose files were deleted or recycled since open.</summary>
    public long SegmentsDeleted => Interlocked.Read(ref _segmentsDeleted);

    /// <summary>Spares prepared in the background and taken by the writer since open.</summary>
    public long SparesUsed => _spares.SparesTaken;

    /// <summary>Segments the writer had to create itself because no spare was ready.</summary>
    public long SegmentsCreatedInline => Interlocked.Read(ref _createdInline);

    /// <summary>
    /// Rotations at which the writer found the next spare still being prepared and waited for it (any thread). Each is a
    /// stall of the append path: the spare's preparation did not keep up with the log.
    /// </summary>
    public long SpareWaits => _spares.Waits;

    /// <summary>
    /// Spares whose zero-filling stopped early because the writer was waiting for them (any thread): the rest of such a
    /// segment stays preallocated and unwritten (it reads as zeros), slower to sync over, but the writer does not wait
    /// for a whole segment's worth of zeros.
    /// </summary>
    public long ZeroFillsCut => _spares.ZeroFillsCut;

    /// <summary>Manifest writes that failed since open (any thread); see <see cref="ManifestWriter.Failures"/>.</summary>
    public long ManifestWriteFailures => _manifest.Failures;

    /// <summary>Segments the writer switched to since open (spares taken plus segments created inline; any thread).</summary>
    public long Rotations => SparesUsed + SegmentsCreatedInline;

    /// <summary>
    /// What the background work is doing right now, as <see cref="PreparingSpareActivity"/> and
    /// <see cref="WritingManifestActivity"/> flags (any thread, no lock; a snapshot that may be stale at once). For
    /// measurements that attribute append latencies to the work beside them.
    /// </summary>
    public int BackgroundActivity => (_spares.IsPreparing ? PreparingSpareActivity : 0) | (_manifest.IsWriting ? WritingManifestActivity : 0);

    /// <summary>Adds live bytes to a segment of the current set (committer thread, or recovery).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddLive(uint segmentId, long delta) => Current.Find(segmentId)?.AddLive(delta);

    /// <summary>Takes over the state recovery found (before the log starts).</summary>
    public void Initialize(IEnumerable<Segment> segments, uint maxId, IEnumerable<uint> retained, IEnumerable<string> recycled)
    {
        var set = SegmentSet.Empty;
        foreach (var segment in segments)
        {
            set = set.With(segment);
        }

        lock (_lock)
        {
            _set = set;
            _maxId = maxId;
            _retained.AddRange(retained);
        }

        foreach (string path in recycled)
        {
            _recycled.Add(path, Task.CompletedTask);
        }
    }

    /// <summary>
    /// Keeps a spare recovery found (before the log starts): it stays listed, and the spare pipeline checks that
    /// everything after its header is zero (it may hold records of a switch a crash cut short: those are zeroed) before
    /// the writer may take it.
    /// </summary>
    public void AdoptSpare(Segment spare)
    {
        RaiseMaxId(spare.Id);
        _spares.Adopt(spare);
    }

    /// <summary>Renames a spare recovery took into use to its segment name, durably (recovery's repair step).</summary>
    public void FinishRecoveredSpare(Segment segment)
    {
        if (segment.Path.EndsWith(SpareSuffix, StringComparison.Ordinal))
        {
            _files.Rename(segment, SegmentHeader.FileName(segment.Id), syncDirectory: true);
        }
    }

    /// <summary>Starts preparing spares and writing the manifest in the background.</summary>
    public void Start()
    {
        _manifest.Start();
        _spares.Start();
    }

    /// <summary>Stops the background work: a spare under preparation is abandoned and its file deleted; a manifest write under way finishes.</summary>
    public async Task StopAsync()
    {
        await _spares.StopAsync().ConfigureAwait(false);
        await _manifest.StopAsync().ConfigureAwait(false);
    }

    /// <summary>Completes once a spare is ready or no preparation is under way (tests that count file operations wait for it).</summary>
    internal Task WhenSpareSettledAsync() => _spares.WhenSettledAsync();

    /// <summary>Closes every segment file (the log is closing; readers still holding one keep it open until they let go).</summary>
    public void CloseAll()
    {
        _spares.CloseFiles();
        List<Segment> all;
        lock (_lock)
        {
            all = [.. _set.All];
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
    /// Asks for a spare if none is ready and, after a rotation (<paramref name="manifestChanged"/>), for the manifest to
    /// catch up. At open the manifest recovery wrote is current: nothing is rewritten unless a spare must be made.
    /// </summary>
    public void RequestBackgroundWork(bool manifestChanged = true)
    {
        if (manifestChanged)
        {
            _manifest.RequestWrite();
        }

        _spares.Request();
    }

    /// <summary>
    /// The next segment for the writer (writer thread): the spare prepared in the background (nothing to write on the
    /// append path), or, when none is ready or under way, a segment created now (listed in the manifest before it is
    /// returned).
    /// </summary>
    public Segment TakeNextSegment()
    {
        if (_spares.Take(PublishTakenSpare, out uint inlineId) is { } spare)
        {
            return spare;
        }

        Interlocked.Increment(ref _createdInline);
        Segment segment;
        string fileName = SegmentHeader.FileName(inlineId);
        try
        {
            segment = _files.Create(inlineId, fileName, recycled: null, step: null);
        }
        catch (IOException ex) when (LogFailedException.IsDiskFullError(ex))
        {
            // Create deleted the file before it threw, and nothing lists it yet: the log's files are as they were, so the
            // writer refuses the request that needed the segment and tries again at the next one (a skipped id is harmless:
            // a failed spare preparation skips one too).
            throw new LogDiskFullException(_options.Directory, Path.Combine(_options.Directory, fileName), _options.SegmentSizeBytes, ex);
        }

        Activate(segment);
        WriteManifest();
        return segment;
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
        try
        {
            WriteManifest();
        }
        catch (FileNotReplacedException)
        {
            // The manifest's temporary file could not be written (a full device): the durable manifest still lists them and
            // no file was touched, so they go back into the set (the writer only adds newer segments) for a later pass.
            lock (_lock)
            {
                var restored = _set;
                foreach (var segment in dead)
                {
                    restored = restored.With(segment);
                }

                Volatile.Write(ref _set, restored);
            }

            throw;
        }
        foreach (var segment in dead)
        {
            segment.Retire();
        }

        Interlocked.Add(ref _segmentsDeleted, dead.Count);
        DisposeRetired(dead);
    }

    /// <summary>Persists the manifest: the current set, the spares, the segments Salvage kept (any thread; throws when it failed).</summary>
    public void WriteManifest() => _manifest.Write();

    /// <summary>
    /// Publishes a spare the pipeline hands to the writer (called by <see cref="SparePipeline.Take"/> under its lock): a
    /// concurrent manifest snapshot, which reads the pipeline's spares before the set, lists it either as the spare or as
    /// a live segment, never neither. Its rename is made durable by the next manifest write, which fsyncs the directory
    /// first; until then recovery finds the spare under either name.
    /// </summary>
    private void PublishTakenSpare(Segment spare)
    {
        spare.ActivatedAtTicks = _time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            Volatile.Write(ref _set, _set.With(spare));
            _manifest.NoteRename();
        }
    }

    /// <summary>Reserves the next segment id (any thread).</summary>
    private uint NextId() => Interlocked.Increment(ref _maxId);

    /// <summary>Makes sure no later id is at or below <paramref name="id"/> (any thread).</summary>
    private void RaiseMaxId(uint id)
    {
        uint current = Volatile.Read(ref _maxId);
        while (current < id)
        {
            uint seen = Interlocked.CompareExchange(ref _maxId, id, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
