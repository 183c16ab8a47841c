
namespace Actors.Wal.Entries.Tests.Support;

/// <summary>Shared helpers of the entry log tests: a temp directory per test and a fault-injecting file system.</summary>
public abstract class EntryLogTestBase : IDisposable
{
    private FaultInjectingFileSystem? _files;

    protected TempDirectory Dir { get; } = new();

    /// <summary>This test's fault-injecting file system (over the real one; created on first use).</summary>
    internal FaultInjectingFileSystem Files => _files ??= new FaultInjectingFileSystem(FaultInjectionLayout.None);

    protected static ReadOnlyMemory<byte> Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    protected static string Text(ReadOnlyMemory<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes.Span);

    public void Dispose()
    {
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
