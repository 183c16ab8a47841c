using System.Diagnostics;
using Actors.Orleans.Benchmarks.Measurement;

namespace Actors.Orleans.Benchmarks.Machine;

/// <summary>
/// The disk's floor for one durable write: 4 KiB written at the next offset of a preallocated (and fsynced) file in
/// the benchmark's data directory, then fdatasync, one at a time. No store can acknowledge a durable write faster.
/// </summary>
public static class FsyncBaseline
{
    public const int BlockBytes = 4096;

    public static (double P50Nanoseconds, double P99Nanoseconds, int Writes, LoadAverage Load) Measure(string directory, int writes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(writes);
        string path = Path.Combine(directory, "fsync-baseline.bin");
        var latencies = new LatencyHistogram();
        try
        {
            using (var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
            {
                file.SetLength((long)BlockBytes * writes);
                file.Write(new byte[BlockBytes * writes]);
                file.Flush(flushToDisk: true);
                byte[] block = new byte[BlockBytes];
                Random.Shared.NextBytes(block);
                for (int i = 0; i < writes; i++)
                {
                    long before = Stopwatch.GetTimestamp();
                    RandomAccess.Write(file.SafeFileHandle, block, (long)i * BlockBytes);
                    NativeMethods.FDataSync(file.SafeFileHandle);
                    latencies.RecordTicks(Stopwatch.GetTimestamp() - before);
                }
            }

            return (latencies.Percentile(0.50), latencies.Percentile(0.99), writes, LoadAverage.Read());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
