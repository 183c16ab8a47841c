namespace Actors.Benchmarks.Infrastructure;

/// <summary>The mount a path lives on, read from /proc/self/mountinfo.</summary>
/// <param name="MountPoint">Where the file system is mounted.</param>
/// <param name="FileSystem">The file system type (ext4, xfs, tmpfs, ...).</param>
/// <param name="Source">The device or source.</param>
/// <param name="Device">major:minor of the device.</param>
/// <param name="Options">Mount options.</param>
internal sealed record MountInfo(string MountPoint, string FileSystem, string Source, string Device, string Options)
{
    public bool IsMemoryBacked => FileSystem is "tmpfs" or "ramfs";

    public override string ToString() => $"{FileSystem} on {Source} ({Device}) mounted at {MountPoint}, {Options}";

    public static MountInfo? Of(string path)
    {
        const string Table = "/proc/self/mountinfo";
        if (!File.Exists(Table))
        {
            return null;
        }

        string full = Path.GetFullPath(path);
        MountInfo? best = null;
        foreach (string line in File.ReadLines(Table))
        {
            // 36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue
            string[] parts = line.Split(' ');
            int dash = Array.IndexOf(parts, "-");
            if (parts.Length < 7 || dash < 0 || dash + 2 >= parts.Length)
            {
                continue;
            }

            string mountPoint = Unescape(parts[4]);
            bool contains = mountPoint == "/" || full == mountPoint || full.StartsWith(mountPoint + "/", StringComparison.Ordinal);
            if (contains && (best is null || mountPoint.Length >= best.MountPoint.Length))
            {
                best = new MountInfo(mountPoint, parts[dash + 1], parts[dash + 2], parts[2], parts[5]);
            }
        }

        return best;
    }

    private static string Unescape(string s) => s.Replace("\\040", " ", StringComparison.Ordinal);
}
