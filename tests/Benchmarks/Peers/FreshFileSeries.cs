using Actors.Benchmarks.Infrastructure;
using Microsoft.Win32.SafeHandles;

namespace Actors.Benchmarks.Peers;

/// <summary>
/// The files of a fresh log, for the bare group-commit loop (<c>--bare-fresh-files</c>): a series of new files of the
/// engine's segment size, each preallocated, set to its full length and, in <see cref="FileState.Written"/>, zero-filled
/// on a background thread while the loop writes the file before it, in 256 KiB chunks each fdatasynced, as the engine's
/// spare pipeline zero-fills its next segment with <c>ZeroFillSegments</c> (<c>SegmentFileFactory</c>). A loop that asks
/// for the next file before its zero-fill ended takes it at once and the rest stays preallocated, never written, as the
/// engine's writer takes a spare whose zero-filling it cut short. So the disk takes the zeros beside the commits, as it
/// does for the engine's fresh log.
/// </summary>
/// <remarks>
/// Only the data's file state is mirrored, not the engine's other work per segment: no segment header, no directory
/// fsync, no manifest writes (listing the spare, the rotation), no rename and no seal. Each of those the engine does and
/// this baseline does not, so a ratio to it understates the engine, never the reverse. One thread calls
/// <see cref="TakeNext"/> (the commit thread); the preparing thread owns the file it fills until it hands it over under
/// the lock. Every file is deleted on <see cref="Dispose"/>.
/// </remarks>
internal sealed class FreshFileSeries : IDisposable
{
    private const int ChunkBytes = 256 * 1024;

    private readonly string _directory;
    private readonly long _fileBytes;
    private readonly bool _zeroFill;
    private readonly object _gate = new();
    private readonly List<string> _paths = [];
    private readonly Thread _preparer;
    private SafeFileHandle? _ready;
    private Exception? _failure;
    private volatile bool _wanted;
    private volatile bool _stopping;
    private long _zeroFillsCut;

    /// <summary>
    /// Creates the series in <paramref name="directory"/> with its first file ready (prepared in full before the window,
    /// as a log's first segment is at open) and starts preparing the second.
    /// </summary>
    public FreshFileSeries(string directory, long fileBytes, FileState fileState)
    {
        _directory = directory;
        _fileBytes = fileBytes;
        _zeroFill = fileState == FileState.Written;
        try
        {
            First = Prepare(0, cut: () => false);
        }
        catch
        {
            File.Delete(_paths[0]); // nothing half-made stays behind
            throw;
        }

        _preparer = new Thread(PrepareLoop) { IsBackground = true, Name = "bench-fresh-files" };
        _preparer.Start();
    }

    /// <summary>The first file, ready to write.</summary>
    public SafeFileHandle First { get; }

    /// <summary>The size of every file.</summary>
    public long FileBytes => _fileBytes;

    /// <summary>Files the loop took before their zero-fill ended (not counting one cut short by <see cref="Dispose"/>).</summary>
    public long ZeroFillsCut => Interlocked.Read(ref _zeroFillsCut);

    /// <summary>
    /// The next file: waits for the preparing thread, which stops zero-filling at its next chunk once asked. Throws what
    /// the preparation threw.
    /// </summary>
    public SafeFileHandle TakeNext()
    {
        lock (_gate)
        {
            _wanted = true;
            while (_ready is null && _failure is null)
            {
                Monitor.Wait(_gate);
            }

            if (_failure is not null)
            {
                throw new IOException("Preparing the bare loop's next fresh file failed.", _failure);
            }

            SafeFileHandle next = _ready!;
            _ready = null;
            _wanted = false;
            Monitor.PulseAll(_gate);
            return next;
        }
    }

    /// <summary>Stops the preparing thread and deletes every file of the series (their handles are closed by then).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        _preparer.Join();
        _ready?.Dispose();
        foreach (string path in _paths)
        {
            File.Delete(path);
        }
    }

    private void PrepareLoop()
    {
        try
        {
            for (int number = 1; ; number++)
            {
                lock (_gate)
                {
                    while (_ready is not null && !_stopping)
                    {
                        Monitor.Wait(_gate);
                    }

                    if (_stopping)
                    {
                        return;
                    }
                }

                SafeFileHandle prepared = Prepare(number, cut: () => _wanted || _stopping);
                lock (_gate)
                {
                    _ready = prepared;
                    Monitor.PulseAll(_gate);
                }
            }
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _failure = ex;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private SafeFileHandle Prepare(int number, Func<bool> cut)
    {
        string path = Path.Combine(_directory, $"fresh-{number:D6}.bin");
        lock (_gate)
        {
            _paths.Add(path);
        }

        SafeFileHandle handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, FileOptions.None, _fileBytes);
        try
        {
            // Full length, as SegmentFileFactory sets it before zero-filling: a commit into a part the fill did not reach
            // writes inside the file, never extends it.
            RandomAccess.SetLength(handle, _fileBytes);
            if (_zeroFill)
            {
                byte[] zeros = new byte[ChunkBytes];
                for (long at = 0; at < _fileBytes; at += ChunkBytes)
                {
                    if (cut())
                    {
                        if (!_stopping)
                        {
                            Interlocked.Increment(ref _zeroFillsCut);
                        }

                        break;
                    }

                    RandomAccess.Write(handle, zeros.AsSpan(0, (int)Math.Min(ChunkBytes, _fileBytes - at)), at);
                    NativeMethods.FDataSync(handle);
                }
            }

            RandomAccess.FlushToDisk(handle);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
