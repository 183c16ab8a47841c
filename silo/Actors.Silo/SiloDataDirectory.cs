using Microsoft.Extensions.Configuration;

namespace Actors.Silo;

/// <summary>
/// The silo's data directory (<c>Actors:DataDirectory</c>, <c>ACTORS__DATADIRECTORY</c>): created if missing, checked
/// writable, and locked for the life of the process (<c>silo.lock</c>, an exclusive OS lock released even on SIGKILL),
/// so a second silo on the same directory fails at startup with a clear message.
/// </summary>
public sealed class SiloDataDirectory : IDisposable
{
    /// <summary>The configuration key.</summary>
    public const string ConfigurationKey = "Actors:DataDirectory";

    /// <summary>The default, relative to the working directory.</summary>
    public const string DefaultPath = "data";

    /// <summary>The lock file name inside the directory.</summary>
    public const string LockFileName = "silo.lock";

    private readonly FileStream _lock;

    private SiloDataDirectory(string path, FileStream lockFile)
    {
        Path = path;
        _lock = lockFile;
    }

    /// <summary>The absolute path.</summary>
    public string Path { get; }

    /// <summary>Resolves, creates, checks and locks the configured directory.</summary>
    /// <exception cref="InvalidOperationException">The directory cannot be created or written, or another silo holds it; the message names the setting.</exception>
    public static SiloDataDirectory Open(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string configured = configuration[ConfigurationKey] is { Length: > 0 } value ? value : DefaultPath;
        string path;
        try
        {
            path = System.IO.Path.GetFullPath(configured);
            Directory.CreateDirectory(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidOperationException($"{ConfigurationKey} '{configured}' cannot be created: {ex.Message}", ex);
        }

        string lockPath = System.IO.Path.Combine(path, LockFileName);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new InvalidOperationException($"{ConfigurationKey} '{path}' is not writable by this process: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"{ConfigurationKey} '{path}' is in use by another silo process (its lock file {lockPath} is held). One silo per data directory.", ex);
        }

        lockFile.SetLength(0);
        lockFile.Write(System.Text.Encoding.UTF8.GetBytes($"{Environment.ProcessId}\n"));
        lockFile.Flush(flushToDisk: true);
        return new SiloDataDirectory(path, lockFile);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _lock.Dispose();
}
