namespace Actors.Testing;

/// <summary>A fresh directory per test, created at construction and deleted with everything in it on dispose.</summary>
/// <remarks>
/// The directory is <c>{temp}/{prefix}/{guid}</c> (with <paramref name="preferMemory"/>, under <c>/dev/shm</c> when it
/// exists, so tests that fsync a lot stay cheap). A file a failed test left open must not hide that test's own failure,
/// so a deletion that fails is reported on standard error, not thrown.
/// </remarks>
/// <param name="prefix">The directory's parent under the temp path, naming the test project.</param>
/// <param name="preferMemory">Under <c>/dev/shm</c> when it exists.</param>
public sealed class TempDirectory(string prefix = "actors-tests", bool preferMemory = false) : IDisposable
{
    /// <summary>The directory's full path.</summary>
    public string Path { get; } = Create(prefix, preferMemory);

    /// <summary>The path of <paramref name="name"/> in the directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The path of subdirectory <paramref name="name"/> (not created).</summary>
    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The engine's segment files (<c>*.wal</c>) in the directory, in order.</summary>
    public string[] Segments() => [.. Directory.GetFiles(Path, "*.wal").Order(StringComparer.Ordinal)];

    /// <summary>The entry logs' segment files (<c>*.entries</c>) in the directory, in order.</summary>
    public string[] EntrySegments() => [.. Directory.GetFiles(Path, "*.entries").Order(StringComparer.Ordinal)];

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Could not delete test directory {Path}: {ex.Message}");
        }
    }

    private static string Create(string prefix, bool preferMemory)
    {
        string root = preferMemory && Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        string path = System.IO.Path.Combine(root, prefix, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
