using Actors.Wal.IO;

namespace Actors.Wal.Tests.Support;

/// <summary>Shared helpers: a temp directory per test and small segments.</summary>
public abstract class LogTestBase : IDisposable
{
    protected LogTestBase()
    {
        Dir = new TempDirectory();
    }

    protected TempDirectory Dir { get; }

    protected static ReadOnlyMemory<byte> Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    protected static string Text(ReadOnlyMemory<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes.Span);

    protected static IReadOnlyList<ReadOnlyMemory<byte>> Events(params string[] texts) => texts.Select(Bytes).ToArray();

    protected WriteAheadLogOptions Options(Action<WriteAheadLogOptions>? configure = null)
    {
        var options = new WriteAheadLogOptions
        {
            Directory = Dir.Path,
            SegmentSizeBytes = 64 * 1024,
            MaxRecordSizeBytes = 16 * 1024,
            PreallocateSegments = false,
        };
        configure?.Invoke(options);
        return options;
    }

    internal ValueTask<WriteAheadLog> OpenAsync(Action<WriteAheadLogOptions>? configure = null, IFileSystem? fileSystem = null, TimeProvider? time = null)
        => WriteAheadLog.OpenAsync(Options(configure), fileSystem ?? PhysicalFileSystem.Instance, null, time);

    public void Dispose()
    {
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
