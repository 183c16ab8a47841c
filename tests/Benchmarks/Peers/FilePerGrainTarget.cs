using Actors.Benchmarks.Infrastructure;

namespace Actors.Benchmarks.Peers;

/// <summary>
/// File-per-grain storage: every state write rewrites the grain's whole state durably the classic way: write a
/// temp file, fsync it, rename it over the target, fsync the directory. All grains share one directory.
/// The state written is the event payload itself (the best case for this peer: real state grows with history).
/// </summary>
internal sealed class FilePerGrainTarget : IAppendTarget
{
    private readonly string _directory;
    private string[] _targets = [];
    private string[] _temps = [];
    private int _directoryFd = -1;

    public FilePerGrainTarget(string directory)
    {
        _directory = directory;
    }

    public string Name => "file-per-grain";

    public bool IsBlocking => true;

    public ValueTask PrepareAsync(int writers, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        _targets = new string[writers];
        _temps = new string[writers];
        for (int w = 0; w < writers; w++)
        {
            _targets[w] = Path.Combine(_directory, $"grain-{w}.state");
            _temps[w] = _targets[w] + ".tmp";
        }

        _directoryFd = NativeMethods.OpenDirectory(_directory);
        return ValueTask.CompletedTask;
    }

    public ValueTask AppendAsync(int writer, long version, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        WriteState(_temps[writer], _targets[writer], payload.Span, _directoryFd);
        return ValueTask.CompletedTask;
    }

    /// <summary>The durable replace: temp file, fsync, rename, fsync directory.</summary>
    public static void WriteState(string temp, string target, ReadOnlySpan<byte> state, int directoryFd)
    {
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(handle, state, 0);
            RandomAccess.FlushToDisk(handle);
        }

        File.Move(temp, target, overwrite: true);
        NativeMethods.FSync(directoryFd);
    }

    public ValueTask<SyncCounters?> ReadCountersAsync(CancellationToken cancellationToken) => ValueTask.FromResult<SyncCounters?>(null);

    public ValueTask DisposeAsync()
    {
        if (_directoryFd >= 0)
        {
            NativeMethods.Close(_directoryFd);
            _directoryFd = -1;
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
