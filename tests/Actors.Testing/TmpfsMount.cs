using System.Diagnostics;

namespace Actors.Testing;

/// <summary>A size-limited tmpfs mounted on a fresh directory (Linux, as root, as CI runs); unmounted on dispose.</summary>
public sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path)
    {
        Path = path;
    }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (mount's syntax: <c>64m</c>).</summary>
    /// <exception cref="InvalidOperationException">Not Linux, not root, or mount failed; the message says which.</exception>
    public static TmpfsMount Create(string size)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            throw new InvalidOperationException($"A size-limited tmpfs needs Linux and root (OS {Environment.OSVersion}, user {Environment.UserName}); CI runs as root.");
        }

        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "actors-tmpfs", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            throw new InvalidOperationException($"mount -t tmpfs -o size={size} tmpfs {path} failed with exit code {code}: {error}");
        }

        return new TmpfsMount(path);
    }

    /// <summary>Unmounts; lazily (<c>umount -l</c>) when a file on it is still open, so no run leaves a mount behind.</summary>
    public void Dispose()
    {
        var (code, error) = Run("umount", Path);
        if (code != 0)
        {
            var (lazyCode, lazyError) = Run("umount", "-l", Path);
            if (lazyCode != 0)
            {
                Console.Error.WriteLine($"umount {Path} failed with exit code {code} ({error}), umount -l with {lazyCode} ({lazyError})");
                return;
            }
        }

        Directory.Delete(Path, recursive: true);
    }

    private static (int Code, string Error) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error.Trim());
    }
}
