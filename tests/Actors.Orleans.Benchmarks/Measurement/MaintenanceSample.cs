using Actors.Wal;

namespace Actors.Orleans.Benchmarks.Measurement;

/// <summary>
/// What the log and the runtime had done when a window of the sustained section ended (running totals; the difference of
/// two samples is what one window did). Figures that do not depend on a quiet machine: bytes, counts, passes.
/// </summary>
/// <param name="Log">The log's statistics, or null when no chosen variant uses the log.</param>
/// <param name="DirectoryBytes">Bytes of the files in the log's directory (segments, snapshot, manifest).</param>
/// <param name="Gen0">Gen0 collections so far.</param>
/// <param name="Gen1">Gen1 collections so far.</param>
/// <param name="Gen2">Gen2 collections so far.</param>
/// <param name="GcPause">Time the runtime paused threads for collections so far.</param>
public sealed record MaintenanceSample(LogStatistics? Log, long DirectoryBytes, int Gen0, int Gen1, int Gen2, TimeSpan GcPause)
{
    public static MaintenanceSample Take(Func<LogStatistics?> statistics, string? directory)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        long bytes = 0;
        if (directory is not null && Directory.Exists(directory))
        {
            foreach (string file in Directory.EnumerateFiles(directory))
            {
                try
                {
                    bytes += new FileInfo(file).Length;
                }
                catch (FileNotFoundException)
                {
                    // deleted by the log's maintenance while we looked: no longer part of its space
                }
            }
        }

        return new MaintenanceSample(statistics(), bytes, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
    }
}
