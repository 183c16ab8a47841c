using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.IO;
using Actors.Wal.Reading;
using Actors.Wal.Segments;
using Microsoft.Extensions.Logging;

namespace Actors.Wal.Recovery;

/*
 * Recovery decision tree (open). Each branch names the on-disk state and why it can occur.
 *
 * 1. Directory missing -> create it (first start). ReadOnly: DirectoryNotFoundException (nothing to read).
 * 2. Lock file held -> LogDirectoryLockedException (another process or instance is running). ReadOnly skips the lock.
 * 3. List "*.wal" segments, sorted by id. Load "segments.manifest" (the live segment list and the pre-created spare):
 *    a listed live segment that is missing, or a listed sealed segment shorter than its sealed length ->
 *    LogCorruptedException (Salvage: reported loss); a file not listed (creation or deletion cut short) -> removed and
 *    reported; a listed spare that is missing -> ignored (a spare holds nothing); manifest missing or damaged -> every
 *    file is used and a note says continuity could not be verified. "*.recycle" files are deleted segments kept for
 *    reuse: adopted (or deleted beyond the limit). See docs/wal-format.md.
 * 4. Load "index.snapshot". Missing (first start, crash before the first snapshot), damaged (crash cannot tear it:
 *    it is renamed into place after fsync, so damage means media corruption) or inconsistent with the segment files
 *    (a segment before the recovery point is missing from the snapshot's table or the recovery point segment is gone)
 *    -> ignore it and scan every segment. Never trust it partially.
 *    Durable claims (DurableClaims): a CRC-valid snapshot's recovery point and segment table and the manifest's sealed
 *    lengths say how far each segment was durable (fsynced before the file was written; the clean-shutdown snapshot's
 *    recovery point is the end of the log). A claimed segment that is missing, a file shorter than its claim, or a
 *    snapshot entry pointing into a missing segment is lost acknowledged data -> LogCorruptedException (ReadOnly too);
 *    Salvage notes the loss, keeps the snapshot (so reads of affected streams say what is missing) and writes a fresh
 *    one at the end.
 * 5. Segment headers:
 *    a. Empty, cut-off or torn (bad magic/CRC) header in the LAST segment with no valid record after it -> the process
 *       or the machine died while creating the segment (before its header was fsynced; a power loss can leave part
 *       of the header and zeros): delete the file (TolerateTornTail, Salvage) and report; AbsoluteConsistency refuses.
 *    b. Same in an earlier segment -> corruption: a later segment is only created after this one was complete.
 *    c. Bad magic or checksum in any other case (an earlier segment, or valid records follow) -> corruption (LogCorruptedException; Salvage skips the segment).
 *    d. MinCompatibleVersion above this build's version -> UnsupportedFormatVersionException naming the file.
 * 6. Segments before the recovery point are not scanned (their records are in the snapshot). The recovery point
 *    segment is scanned from the recovery point offset, later segments from their first record. A record already
 *    reflected in its stream's snapshot entry (at or before the entry's latest position) is skipped.
 * 7. Records, in order:
 *    a. Valid record -> applied to the index exactly as the writer applied it.
 *    b. Seal record -> the segment is complete (the writer seals and fsyncs before anything in the next segment is
 *       acknowledged). A spare listed after a sealed segment is then the next segment (the writer switches to the
 *       spare without writing the manifest): it is scanned like any segment. A spare after a segment that is not
 *       sealed was never used (anything written there was not acknowledged): it stays a spare.
 *    c. Zero length field followed only by zeros -> normal end (preallocated, zero-filled and recycled space is zero).
 *    d. Damage (implausible header, CRC mismatch, record cut off by end of file, or garbage after a zero length)
 *       at offset X:
 *       - below a durable claim of the segment -> corruption of acknowledged data, whatever follows (never a torn
 *         tail). Salvage skips it and notes what the damaged header names.
 *       - in the last segment with no valid record after X -> torn tail: an append (a whole group) that never
 *         completed. TolerateTornTail and Salvage cut the file at X (zeros after X) and report the bytes;
 *         AbsoluteConsistency refuses; ReadOnly reports only.
 *       - valid records follow X, or the segment is sealed/not the last -> corruption of acknowledged data: a torn
 *         write cannot be followed by valid data. LogCorruptedException(file, X) and NOTHING is modified
 *         (truncations and deletions are only carried out after every segment was checked). Salvage skips to the
 *         next valid record and reports.
 *    e. A segment other than the last that ends without a seal record -> corruption (Salvage: reported).
 * 8. Carry out the deferred repairs (unless ReadOnly), fsync the last segment (bytes a crashed process left in the
 *    page cache become durable before anything depends on them), then continue in the last segment if it is not
 *    sealed, otherwise in the spare or a new segment. A full disk here (preallocating the next segment, rewriting
 *    the manifest) opens the log failed: reads are served, writes throw LogFailedException(IsDiskFull).
 */

/// <summary>
/// Opens a log directory: checks every file against what the log recorded as durable, rebuilds the index, the live
/// bytes and the segment set, repairs what a crash can leave behind, and says what it found. Runs once, before the
/// log's threads start.
/// </summary>
/// <remarks>Ownership: while it runs, recovery is the only owner of the index and the segment manager it fills.</remarks>
internal sealed partial class LogRecovery
{
    private readonly WriteAheadLogOptions _options;
    private readonly IFileSystem _fileSystem;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StreamIndex _index;
    private readonly SegmentManager _segments;
    private readonly LogReader _reader;
    private readonly long _maxRecordLength;
    private readonly List<string> _notes = [];
    private readonly Dictionary<string, HotStream> _touched = new(StringComparer.Ordinal);
    private readonly List<uint> _retained = [];
    private readonly List<IWalFile> _openedFiles = [];
    private long _nextLsn = 1;
    private long _lastTimestamp;
    private uint _maxSegmentId;

    /// <summary>Creates recovery for the log whose index and segment manager it fills.</summary>
    public LogRecovery(WriteAheadLogOptions options, IFileSystem fileSystem, TimeProvider time, ILogger logger, StreamIndex index, SegmentManager segments, LogReader reader)
    {
        _options = options;
        _fileSystem = fileSystem;
        _time = time;
        _logger = logger;
        _index = index;
        _segments = segments;
        _reader = reader;
        _maxRecordLength = options.SegmentSizeBytes - SegmentHeader.Size - RecordHeader.SealSize;
    }

    /// <summary>The largest record length accepted as plausible.</summary>
    public long MaxRecordLength => _maxRecordLength;

    /// <summary>Runs recovery.</summary>
    /// <exception cref="LogDirectoryLockedException">Another process holds the directory.</exception>
    /// <exception cref="LogCorruptedException">Damage that is not a torn tail, or any damage under AbsoluteConsistency.</exception>
    /// <exception cref="UnsupportedFormatVersionException">A file needs a newer build.</exception>
    public RecoveredLog Run()
    {
        long started = _time.GetTimestamp();
        string dir = _options.Directory;
        bool readOnly = _options.ReadOnly;
        if (!_fileSystem.DirectoryExists(dir))
        {
            if (readOnly)
            {
                throw new DirectoryNotFoundException($"The log directory '{dir}' does not exist (opened read-only).");
            }

            // Durably: a power cut must not lose a new directory (and every file made durable in it) with its parent's entry.
            DurableFile.CreateDirectory(_fileSystem, dir);
        }

        IDisposable? directoryLock = null;
        if (!readOnly)
        {
            string lockPath = Path.Combine(dir, WriteAheadLog.LockFileName);
            try
            {
                directoryLock = _fileSystem.LockFile(lockPath);
            }
            catch (IOException ex)
            {
                throw new LogDirectoryLockedException(dir, lockPath, ex);
            }
        }

        try
        {
            return RunLocked(directoryLock, started);
        }
        catch
        {
            foreach (var file in _openedFiles)
            {
                file.Dispose();
            }

            directoryLock?.Dispose();
            throw;
        }
    }
}
