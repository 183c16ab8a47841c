using System.Diagnostics;
using Actors.Benchmarks.Infrastructure;
using Microsoft.Win32.SafeHandles;

namespace Actors.Benchmarks.Peers;

/// <summary>
/// A bare group-commit loop, the ceiling the engine is measured against: writers enqueue their payload and wait;
/// one thread takes everything queued, copies it into one buffer, writes it with one call at the file's tail
/// (a file prepared in the run's <see cref="FileState"/>, the engine's segments' state, reused circularly: the state of a
/// log whose segments are recycled; or, with <c>--bare-fresh-files</c>, new files prepared as a fresh log's segments are,
/// <see cref="FreshFileSeries"/>), calls fdatasync, and completes every waiter.
/// Batches that arrive during an fsync form the next group. No framing, no CRC, no index. <see cref="BareLoopWork"/> adds
/// calibrated CPU work per append in one of three places, to ask where the engine's extra work would cost the loop.
/// </summary>
internal sealed class GroupCommitTarget : IAppendTarget
{
    private const long FileBytes = 256L * 1024 * 1024;
    private const int MaxBatchBytes = 4 * 1024 * 1024;

    private readonly string _path;
    private readonly FileState _fileState;
    private readonly long? _freshFileBytes;
    private readonly int _callerWorkSteps;
    private readonly int _serialWorkSteps;
    private readonly int _commitWorkSteps;
    private readonly int _extraBytesPerCommit;
    private readonly object _gate = new();
    private List<Pending> _queue = [];
    private List<Pending> _spare = [];
    private SafeFileHandle? _handle;
    private FreshFileSeries? _freshFiles;
    private Thread? _thread;
    private bool _stopping;
    private long _offset;
    private long _commits;
    private long _appends;
    private long[] _completedAt = [];

    /// <summary>
    /// A loop on one file in <paramref name="fileState"/> reused circularly, or, with <paramref name="freshFileBytes"/>,
    /// on a <see cref="FreshFileSeries"/> of files of that size; <paramref name="work"/>: CPU work added per append
    /// (none when null; described on standard output when any).
    /// </summary>
    public GroupCommitTarget(string directory, FileState fileState, long? freshFileBytes = null, BareLoopWork? work = null)
    {
        _path = Path.Combine(directory, "group-commit.bin");
        _fileState = fileState;
        _freshFileBytes = freshFileBytes;
        work ??= BareLoopWork.None;
        _callerWorkSteps = CalibratedWork.StepsFor(work.CallerNanoseconds);
        _serialWorkSteps = CalibratedWork.StepsFor(work.SerialNanoseconds);
        _commitWorkSteps = CalibratedWork.StepsFor(work.CommitNanoseconds);
        _extraBytesPerCommit = Math.Min(work.ExtraBytesPerCommit, MaxBatchBytes / 2);
        if (work.Any)
        {
            Console.WriteLine(work.Describe());
        }
    }

    public string Name => _freshFileBytes is null ? "disk: bare group commit" : "disk: bare group commit, fresh files";

    public bool IsBlocking => false;

    public ValueTask PrepareAsync(int writers, CancellationToken cancellationToken)
    {
        if (_freshFileBytes is { } bytes)
        {
            _freshFiles = new FreshFileSeries(Path.GetDirectoryName(_path)!, bytes, _fileState);
            _handle = _freshFiles.First;
        }
        else
        {
            _handle = FileStates.Create(_path, FileBytes, _fileState);
        }

        _completedAt = new long[writers];
        _thread = new Thread(CommitLoop) { IsBackground = true, Name = "bench-group-commit" };
        _thread.Start();
        return ValueTask.CompletedTask;
    }

    public ValueTask AppendAsync(int writer, long version, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (_callerWorkSteps > 0)
        {
            CalibratedWork.Run(_callerWorkSteps);
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_serialWorkSteps > 0)
            {
                CalibratedWork.Run(_serialWorkSteps);
            }

            _queue.Add(new Pending(writer, payload, done));
            if (_queue.Count == 1)
            {
                Monitor.Pulse(_gate);
            }
        }

        return new ValueTask(done.Task);
    }

    /// <summary>
    /// When the commit thread finished the fdatasync that acknowledged <paramref name="writer"/>'s last append (a
    /// <see cref="Stopwatch"/> timestamp, written before the waiter is completed, so visible to its continuation).
    /// </summary>
    public long CompletedAt(int writer) => Volatile.Read(ref _completedAt[writer]);

    public ValueTask<SyncCounters?> ReadCountersAsync(CancellationToken cancellationToken)
    {
        long commits = Interlocked.Read(ref _commits);
        return ValueTask.FromResult<SyncCounters?>(new SyncCounters(Interlocked.Read(ref _appends), commits, commits));
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }

        _thread?.Join();
        _handle?.Dispose();
        if (_freshFiles is not null && Environment.GetEnvironmentVariable("ACTORS_WAL_PRINT_SPARES") == "1")
        {
            // As WalTarget prints the engine's: how often the loop took a file before its zero-fill ended (stderr).
            Console.Error.WriteLine($"bare loop fresh files: zero-fillings cut {_freshFiles.ZeroFillsCut}");
        }

        _freshFiles?.Dispose();
        File.Delete(_path);
        return ValueTask.CompletedTask;
    }

    private void CommitLoop()
    {
        SafeFileHandle handle = _handle!;
        long fileBytes = _freshFiles?.FileBytes ?? FileBytes;
        byte[] buffer = new byte[MaxBatchBytes];
        long waitStarted = Stopwatch.GetTimestamp();
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                while (_queue.Count == 0 && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                if (_queue.Count == 0)
                {
                    return;
                }

                batch = _queue;
                _queue = _spare;
            }

            try
            {
                int start = 0;
                while (start < batch.Count)
                {
                    long taken = Stopwatch.GetTimestamp();
                    int used = 0;
                    int end = start;
                    while (end < batch.Count && (used == 0 || used + batch[end].Payload.Length <= buffer.Length - _extraBytesPerCommit))
                    {
                        batch[end].Payload.Span.CopyTo(buffer.AsSpan(used));
                        used += batch[end].Payload.Length;
                        end++;
                    }

                    used = Math.Min(used + _extraBytesPerCommit, buffer.Length); // whatever the buffer holds there: only the count matters

                    if (_offset + used > fileBytes)
                    {
                        if (_freshFiles is not null)
                        {
                            handle.Dispose();
                            handle = _freshFiles.TakeNext();
                            _handle = handle;
                        }

                        _offset = 0;
                    }

                    RandomAccess.Write(handle, buffer.AsSpan(0, used), _offset);
                    _offset += used;
                    long synced = Stopwatch.GetTimestamp();
                    NativeMethods.FDataSync(handle);
                    long completed = Stopwatch.GetTimestamp();
                    FsyncTimes.Record(completed - synced);
                    Interlocked.Increment(ref _commits);
                    Interlocked.Add(ref _appends, end - start);
                    for (int i = start; i < end; i++)
                    {
                        if (_commitWorkSteps > 0)
                        {
                            CalibratedWork.Run(_commitWorkSteps);
                        }

                        _completedAt[batch[i].Writer] = completed;
                        batch[i].Done.SetResult();
                    }

                    long published = Stopwatch.GetTimestamp();
                    CommitCycles.Record(taken - waitStarted, synced - taken, completed - synced, published - completed);
                    waitStarted = published;
                    start = end;
                }
            }
            catch (Exception ex)
            {
                foreach (Pending p in batch)
                {
                    p.Done.TrySetException(ex);
                }
            }

            batch.Clear();
            lock (_gate)
            {
                _spare = batch;
            }
        }
    }

    private readonly record struct Pending(int Writer, ReadOnlyMemory<byte> Payload, TaskCompletionSource Done);
}
