namespace Actors.Crash.Tests.Engine.Support;

/// <summary>A fresh real directory per test (under /dev/shm when available, so the many fsyncs stay cheap), deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(bool preferMemory = false)
    {
        string root = preferMemory && System.IO.Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        Path = System.IO.Path.Combine(root, "actors-crash-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string[] Segments() => System.IO.Directory.GetFiles(Path, "*.wal").Order(StringComparer.Ordinal).ToArray();

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (IOException ex)
        {
            // Best effort: a file still open by a failed test must not hide the test's own failure.
            Console.Error.WriteLine($"could not delete {Path}: {ex.Message}");
        }
    }
}
