using System.Globalization;
using System.Runtime.InteropServices;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>What the figures were measured on.</summary>
internal static class MachineInfo
{
    public static Table Describe(string dataDirectory, string? postgresVersion)
    {
        var table = new Table("what", "value");
        table.Add("date (UTC)", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        table.Add("cpu", $"{Environment.ProcessorCount} logical cores, {CpuModel()}");
        table.Add("memory", MemTotal());
        table.Add("os / kernel", $"{OsName()} / {ReadFirstLine("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription}");
        table.Add("load average at start", ReadFirstLine("/proc/loadavg") ?? "unknown");
        table.Add(".NET", $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.ProcessArchitecture}), GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");
        MountInfo? mount = MountInfo.Of(dataDirectory);
        table.Add("data directory", dataDirectory);
        table.Add("its file system", mount?.ToString() ?? "unknown");
        table.Add("PostgreSQL", postgresVersion ?? Fmt.NotRun);
        return table;
    }

    private static string CpuModel()
    {
        const string CpuInfo = "/proc/cpuinfo";
        if (File.Exists(CpuInfo))
        {
            foreach (string line in File.ReadLines(CpuInfo))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
            }
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string MemTotal()
    {
        const string MemInfo = "/proc/meminfo";
        if (File.Exists(MemInfo))
        {
            foreach (string line in File.ReadLines(MemInfo))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    string kb = line["MemTotal:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim();
                    if (long.TryParse(kb, CultureInfo.InvariantCulture, out long value))
                    {
                        return Fmt.Bytes(value * 1024.0);
                    }
                }
            }
        }

        return Fmt.Bytes(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
    }

    private static string OsName()
    {
        const string OsRelease = "/etc/os-release";
        if (File.Exists(OsRelease))
        {
            foreach (string line in File.ReadLines(OsRelease))
            {
                if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                {
                    return line["PRETTY_NAME=".Length..].Trim('"');
                }
            }
        }

        return RuntimeInformation.OSDescription;
    }

    private static string? ReadFirstLine(string path) =>
        File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;
}
