namespace Actors.Wal.Tests.Support;

/// <summary>A fresh directory per test, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "actors-wal-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string[] Segments() => Directory.GetFiles(Path, "*.wal").Order(StringComparer.Ordinal).ToArray();

    public string[] EntrySegments() => Directory.GetFiles(Path, "*.entries").Order(StringComparer.Ordinal).ToArray();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open by a failed test must not hide the test's own failure.
        }
    }
}
