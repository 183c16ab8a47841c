using System.Text;

namespace Actors.Wal.Tests.Support;

/// <summary>
/// Helpers of the tests that verify data leaves the log physically: filler streams that fill and seal segments, a
/// compaction that takes the active segment too, and a scan of every file of the log directory for a marker.
/// </summary>
public abstract class FileScanTestBase : LogTestBase
{
    /// <summary>Appends <paramref name="count"/> filler streams (<c>f{n}</c>, one 2,000-byte event each); returns the next number.</summary>
    internal static async Task<int> FillAsync(WriteAheadLog log, int next, int count)
    {
        for (int i = 0; i < count; i++, next++)
        {
            await log.AppendAsync($"f{next}", 0, [new byte[2000]]);
        }

        return next;
    }

    /// <summary>Appends filler streams until the log rotates: the active segment is sealed, mostly live.</summary>
    internal static async Task<int> RotateAsync(WriteAheadLog log, int filler)
    {
        int segments = log.GetStatistics().SegmentCount;
        while (log.GetStatistics().SegmentCount == segments)
        {
            filler = await FillAsync(log, filler, 1);
        }

        return filler;
    }

    /// <summary>Seals the segment an erase left records in (filler appends until a rotation), then compacts.</summary>
    internal static async Task<int> SealActiveSegmentAndCompactAsync(WriteAheadLog log, int filler)
    {
        filler = await RotateAsync(log, filler);
        await log.WhenMaintenanceIdleAsync();
        await log.CompactAsync();
        await log.WhenMaintenanceIdleAsync();
        return filler;
    }

    /// <summary>Asserts that every filler stream still reads its one event.</summary>
    internal static async Task AssertFillersSurviveAsync(IEventLog log, int filler)
    {
        for (int i = 0; i < filler; i++)
        {
            Assert.Single((await log.ReadStreamAsync($"f{i}")).Events);
        }
    }

    /// <summary>True when some file of the log directory holds <paramref name="marker"/>.</summary>
    protected bool FilesContainMarker(string marker) => FilesWithMarker(marker).Any();

    /// <summary>The files of the log directory (but the lock file) that hold <paramref name="marker"/>.</summary>
    protected IReadOnlyList<string> FilesWithMarker(string marker) => FilesWithMarker(Encoding.UTF8.GetBytes(marker));

    /// <summary>The files of the log directory (but the lock file) that hold <paramref name="marker"/>; see <see cref="LogDirectoryScan"/>.</summary>
    protected IReadOnlyList<string> FilesWithMarker(byte[] marker) => LogDirectoryScan.FilesHolding(Dir.Path, marker);

    /// <summary>Asserts that no file of the log directory holds <paramref name="marker"/>, naming those that do.</summary>
    protected void AssertInNoFile(string marker)
        => Assert.False(FilesContainMarker(marker), $"'{marker}' is still in {string.Join(", ", FilesWithMarker(marker))}");
}
