using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Microsoft.Extensions.Logging;

namespace Actors.Wal.Segments;

/// <summary>
/// Writes the segment manifest (<see cref="SegmentManifest"/>): one write at a time, each listing what the
/// <c>snapshot</c> callback returns at that moment; on request in the background (on a thread of its own, deferred while a
/// spare is being prepared, whose listing writes it anyway), or at once (<see cref="Write()"/>).
/// </summary>
/// <remarks>
/// Ownership: whether a write is due, whether a rename awaits its directory fsync, and the counters are this type's alone
/// (atomics); writes are serialized by <c>_writeLock</c>. The snapshot callback is called under that lock and must not call
/// back in here.
/// </remarks>
internal sealed partial class ManifestWriter
{
    private readonly IFileSystem _fileSystem;
    private readonly string _directory;
    private readonly Func<List<ManifestEntry>> _snapshot;
    private readonly Action<List<ManifestEntry>> _written;
    private readonly Func<bool> _abandoned;
    private readonly Func<bool> _halted;
    private readonly Func<bool> _deferred;
    private readonly ILogger _logger;
    private readonly Lock _writeLock = new();
    private readonly SemaphoreSlim _work = new(0);
    private int _due;
    private int _renamed;
    private int _writing;
    private int _stopping;
    private long _failures;
    private List<ManifestEntry>? _lastWritten;
    private Task _loop = Task.CompletedTask;

    /// <summary>Creates the writer (nothing runs in the background before <see cref="Start"/>).</summary>
    /// <param name="fileSystem">The file system.</param>
    /// <param name="directory">The log directory.</param>
    /// <param name="snapshot">The entries to write now (called under the write lock).</param>
    /// <param name="written">Told the entries once they are durable.</param>
    /// <param name="abandoned">True once the log was abandoned: every write throws.</param>
    /// <param name="halted">True once the log failed or was abandoned: background writes stop.</param>
    /// <param name="deferred">True while a background write should wait (a spare is being prepared: its listing writes
    /// the manifest anyway); the owner calls <see cref="Resume"/> when that ends.</param>
    /// <param name="logger">Logs failed background writes.</param>
    public ManifestWriter(IFileSystem fileSystem, string directory, Func<List<ManifestEntry>> snapshot, Action<List<ManifestEntry>> written, Func<bool> abandoned, Func<bool> halted, Func<bool> deferred, ILogger logger)
    {
        _fileSystem = fileSystem;
        _directory = directory;
        _snapshot = snapshot;
        _written = written;
        _abandoned = abandoned;
        _halted = halted;
        _deferred = deferred;
        _logger = logger;
    }

    /// <summary>
    /// Manifest writes that failed since open (any thread). A failure in the background leaves the log running on the
    /// previous manifest (the next change writes it again); one in maintenance or where a segment is created inline fails
    /// the log.
    /// </summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>True while a write (temp file, fsync, rename, directory fsync) is under way (any thread, no lock; may be stale at once).</summary>
    public bool IsWriting => Volatile.Read(ref _writing) != 0;

    /// <summary>
    /// Starts the background writes on the thread pool. Not a thread of its own: the loop awaits its work signal at once, and
    /// every write already runs on the pool after that await, so a dedicated thread would only be created to end there.
    /// </summary>
    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Stops the background writes (a write under way finishes).</summary>
    public async Task StopAsync()
    {
        Volatile.Write(ref _stopping, 1);
        _work.Release();
        await _loop.ConfigureAwait(false);
    }

    /// <summary>Asks for a write in the background (any thread; returns at once).</summary>
    public void RequestWrite()
    {
        Volatile.Write(ref _due, 1);
        _work.Release();
    }

    /// <summary>Runs a background write that was deferred, if one is still due (any thread; returns at once).</summary>
    public void Resume() => _work.Release();

    /// <summary>
    /// Notes a segment file renamed without a directory fsync (a spare taken into use on the append path): the next write
    /// fsyncs the directory before it lists the segment under its new name, and is due.
    /// </summary>
    public void NoteRename()
    {
        Volatile.Write(ref _renamed, 1);
        Volatile.Write(ref _due, 1);
    }

    /// <summary>Writes the manifest now (any thread; waits for a write under way). Throws when it failed: the previous manifest stays.</summary>
    public void Write() => WriteSerialized(skipUnchanged: false);

    /// <summary>
    /// Writes the manifest; with <paramref name="skipUnchanged"/> (background writes) not when it would list exactly what
    /// the last write made durable (a rotation's request before its predecessor's seal is durable: the committer's request
    /// that lists the new segment as live follows).
    /// </summary>
    private void WriteSerialized(bool skipUnchanged)
    {
        lock (_writeLock)
        {
            Interlocked.Increment(ref _writing);
            try
            {
                WriteLocked(skipUnchanged);
            }
            finally
            {
                Interlocked.Decrement(ref _writing);
            }
        }
    }

    /// <summary>The body of <see cref="WriteSerialized"/> (caller holds <c>_writeLock</c>).</summary>
    private void WriteLocked(bool skipUnchanged)
    {
        if (_abandoned())
        {
            throw new IOException("The log was abandoned (simulated crash); nothing more is written.");
        }

        Volatile.Write(ref _due, 0);
        var entries = _snapshot();
        if (skipUnchanged && _lastWritten is { } last && entries.SequenceEqual(last))
        {
            return; // a rename awaiting its directory fsync stays noted for the next write
        }

        // Taken after the snapshot: a segment listed under its new name was renamed (and noted) before it was published.
        if (Interlocked.Exchange(ref _renamed, 0) != 0)
        {
            try
            {
                // A spare taken into use was renamed without a directory fsync (none on the append path): make the rename
                // durable before a manifest lists the segment under its name.
                _fileSystem.SyncDirectory(_directory);
            }
            catch
            {
                Volatile.Write(ref _renamed, 1);
                Volatile.Write(ref _due, 1);
                throw;
            }
        }

        try
        {
            SegmentManifest.Envelope.Replace(_fileSystem, _directory, SegmentManifest.Serialize(entries));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The previous manifest stays in place (the replace is atomic); the next change writes the set again.
            Interlocked.Increment(ref _failures);
            Volatile.Write(ref _due, 1);
            _lastWritten = null;
            throw;
        }

        _lastWritten = entries;
        _written(entries);
    }

    private async Task RunAsync()
    {
        while (true)
        {
            await _work.WaitAsync().ConfigureAwait(false);
            if (Volatile.Read(ref _stopping) != 0)
            {
                return;
            }

            if (Volatile.Read(ref _due) == 0 || _halted())
            {
                continue; // a failed log writes nothing more (fsync is never retried, not even of another file)
            }

            if (_deferred())
            {
                // A spare is being prepared: the write that lists it also catches up with this request (one manifest write
                // per rotation, after the spare's zeros, not a second one beside the first commits into the new
                // segment). Resume runs this again once the preparation ended, however it ended.
                continue;
            }

            try
            {
                WriteSerialized(skipUnchanged: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not fatal here: the log keeps running on the previous manifest, and the next change writes it again.
                LogBackgroundWriteFailed(ex);
            }
        }
    }

    [LoggerMessage(12, LogLevel.Warning, "Writing the segment manifest in the background failed; the log keeps running on the previous manifest (the next change rewrites it)")]
    private partial void LogBackgroundWriteFailed(Exception exception);
}
