using System.Diagnostics;
using Actors.Checksums;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>
/// The repository's CRC32C (<see cref="Crc32C"/>) timed over one buffer per size (<c>profile --store crc32c</c>): the best
/// of five loops, once with independent calls (consecutive calls may overlap in the processor, as framing a record
/// overlaps with other work) and once with each call's input depending on the previous result (the full latency of one
/// call). Printed with the load average; compare builds by running each build's program in turn.
/// </summary>
internal static class Crc32CTiming
{
    private static readonly int[] Sizes = [100, 160, 300, 1070, 4096, 65536];

    /// <summary>Prints one line per size: nanoseconds per call, independent and dependent.</summary>
    public static void Print()
    {
        var random = new Random(1);
        uint sink = 0;
        foreach (int size in Sizes)
        {
            byte[] data = new byte[size];
            random.NextBytes(data);
            long calls = 200_000_000L / (size + 50);
            for (long i = 0; i < calls / 10; i++)
            {
                sink ^= Crc32C.Compute(data);
            }

            double independent = double.MaxValue;
            double dependent = double.MaxValue;
            for (int loop = 0; loop < 5; loop++)
            {
                long started = Stopwatch.GetTimestamp();
                for (long i = 0; i < calls; i++)
                {
                    sink ^= Crc32C.Compute(data);
                }

                independent = Math.Min(independent, Stopwatch.GetElapsedTime(started).TotalNanoseconds / calls);
                started = Stopwatch.GetTimestamp();
                for (long i = 0; i < calls; i++)
                {
                    data[0] = (byte)sink;
                    sink = Crc32C.Compute(data);
                }

                dependent = Math.Min(dependent, Stopwatch.GetElapsedTime(started).TotalNanoseconds / calls);
            }

            Console.WriteLine($"crc32c {size,6} B: {independent,8:0.0} ns independent, {dependent,8:0.0} ns dependent");
        }

        Console.WriteLine($"(checksum of the run {sink & 1}; load {File.ReadAllText("/proc/loadavg").Trim()})");
    }
}
