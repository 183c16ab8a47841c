using System.Globalization;
using Actors.Hosting.Dashboard;
using Actors.Persistence.Wal;
using Actors.Wal;

namespace Actors.Silo;

/// <summary>
/// The dashboard's <c>Segments</c> panel: one row per segment file of the default store's log (id, created, sealed or
/// active, file size, record bytes, live bytes, reclaimable bytes, live ratio), so an operator sees where reclaimable
/// space sits and what compaction will take next. Nothing while the log is closed; a note instead of rows when the
/// store's log is not a single write-ahead log (cluster mode keeps one log per partition).
/// </summary>
internal sealed class SegmentsPanelSource(
    [FromKeyedServices(WriteAheadLogStore.DefaultStoreName)] WriteAheadLogStore store) : IDashboardPanelSource
{
    /// <summary>Rows shown at most (the oldest segments first; a note says how many were left out).</summary>
    internal const int MaxRows = 200;

    public ValueTask<DashboardPanel?> GetPanelAsync(CancellationToken cancellationToken)
    {
        string[] columns = ["Segment", "Created (UTC)", "State", "File", "Records", "Live", "Reclaimable", "Live ratio"];
        if (store.Log is not WriteAheadLog log)
        {
            return ValueTask.FromResult<DashboardPanel?>(store.Log is null
                ? null
                : new DashboardPanel("segments", $"Segments of store {store.Name}", columns, [])
                {
                    Note = $"The store's log is a {store.Log.GetType().Name}, not one write-ahead log: no per-segment table.",
                });
        }

        IReadOnlyList<SegmentSpace> segments = log.GetSegmentSpace();
        var rows = new List<IReadOnlyList<string>>(Math.Min(segments.Count, MaxRows));
        long reclaimable = 0;
        foreach (SegmentSpace segment in segments)
        {
            reclaimable += segment.ReclaimableBytes;
            if (rows.Count < MaxRows)
            {
                rows.Add(
                [
                    segment.SegmentId.ToString("D10", CultureInfo.InvariantCulture),
                    segment.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    segment.IsSealed ? "sealed" : "active",
                    Bytes(segment.FileBytes),
                    Bytes(segment.RecordBytes),
                    Bytes(segment.LiveBytes),
                    Bytes(segment.ReclaimableBytes),
                    segment.LiveRatio.ToString("P0", CultureInfo.InvariantCulture),
                ]);
            }
        }

        string shown = segments.Count > MaxRows ? $"the oldest {MaxRows} of {segments.Count} segments shown; " : "";
        return ValueTask.FromResult<DashboardPanel?>(new DashboardPanel("segments", $"Segments of store {store.Name}", columns, rows)
        {
            Note = $"{shown}{Bytes(reclaimable)} reclaimable in total (dead records; only sealed segments are deleted or compacted).",
        });
    }

    /// <summary>Bytes in binary units with one decimal (B, KiB, MiB, GiB).</summary>
    internal static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("F1", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("F1", CultureInfo.InvariantCulture) + " GiB",
    };
}
