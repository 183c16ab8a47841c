using Actors.Benchmarks.Infrastructure;
using Microsoft.Win32.SafeHandles;

namespace Actors.Benchmarks.Peers;

/// <summary>
/// The disk's own latency floor: each append writes its payload at the next offset of a file prepared in the run's
/// <see cref="FileState"/> (the engine's segments' state), then calls fdatasync (or fsync, i.e.
/// <see cref="RandomAccess.FlushToDisk"/>). No batching: one sync per append.
/// </summary>
internal sealed class DiskSyncTarget : IAppendTarget
{
    private const long FileBytes = 64L * 1024 * 1024;

    private readonly string _path;
    private readonly bool _dataOnly;
    private readonly FileState _fileState;
    private SafeFileHandle? _handle;
    private long _appends;

    public DiskSyncTarget(string directory, bool dataOnly, FileState fileState)
    {
        _dataOnly = dataOnly;
        _fileState = fileState;
        _path = Path.Combine(directory, dataOnly ? "fdatasync.bin" : "fsync.bin");
    }

    public string Name => _dataOnly ? "disk: write + fdatasync" : "disk: write + fsync";

    public bool IsBlocking => true;

    public ValueTask PrepareAsync(int writers, CancellationToken cancellationToken)
    {
        _handle = FileStates.Create(_path, FileBytes, _fileState);
        return ValueTask.CompletedTask;
    }

    public ValueTask AppendAsync(int writer, long version, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        SafeFileHandle handle = _handle ?? throw new InvalidOperationException("Not prepared.");
        long slot = Interlocked.Increment(ref _appends) - 1;
        long at = slot * payload.Length % (FileBytes - (FileBytes % payload.Length));
        RandomAccess.Write(handle, payload.Span, at);
        if (_dataOnly)
        {
            NativeMethods.FDataSync(handle);
        }
        else
        {
            RandomAccess.FlushToDisk(handle);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<SyncCounters?> ReadCountersAsync(CancellationToken cancellationToken) => ValueTask.FromResult<SyncCounters?>(null);

    public ValueTask DisposeAsync()
    {
        _handle?.Dispose();
        File.Delete(_path);
        return ValueTask.CompletedTask;
    }
}
