using System.Diagnostics;

namespace Actors.StreamingBenchmarks;

/// <summary>The floor of a durable acknowledgement on this disk: a small write followed by an fsync, on a file in the log's directory.</summary>
internal static class Fsync
{
    public static string Measure(string directory, int count)
    {
        string path = Path.Combine(directory, "fsync-probe.tmp");
        byte[] block = new byte[4096];
        var samples = new double[count];
        using (Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite))
        {
            for (int i = 0; i < count; i++)
            {
                long started = Stopwatch.GetTimestamp();
                RandomAccess.Write(handle, block, (i % 16) * 4096L);
                RandomAccess.FlushToDisk(handle);
                samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }

        File.Delete(path);
        Array.Sort(samples);
        return $"p50 {samples[count / 2]:F3} ms, p99 {samples[(int)(count * 0.99)]:F3} ms over {count}";
    }
}
