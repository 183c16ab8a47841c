using Actors.Wal.Format;
using Actors.Wal.Recovery;

namespace Actors.Wal.Tool.Scanning;

internal static partial class LogScanner
{
    private static void LoadSnapshot(ScanReport report)
    {
        string path = Path.Combine(report.Directory, RecoverySnapshot.FileName);
        if (!File.Exists(path))
        {
            return;
        }

        report.SnapshotPresent = true;
        byte[] data = File.ReadAllBytes(path);
        report.Snapshot = RecoverySnapshot.TryParse(data, out string? reason);
        if (report.Snapshot is null)
        {
            report.Findings.Add(new Finding(FindingKind.Snapshot, RecoverySnapshot.FileName, null, null,
                $"{reason}; opening the log ignores it and scans every segment (no record is lost, but the file was damaged on disk)"));
        }
    }

    private static void LoadManifest(ScanReport report)
    {
        string path = Path.Combine(report.Directory, SegmentManifest.FileName);
        if (File.Exists(path))
        {
            // A damaged or newer manifest only costs the claims it would add; recovery reports it at open.
            report.Manifest = SegmentManifest.TryParse(File.ReadAllBytes(path), out _, out _, out _);
        }
    }

    /// <summary>Applies the engine's liveness rule (each stream's live runs, rebuilt in log order) per segment.</summary>
    private static void ComputeLiveBytes(ScanReport report)
    {
        var byId = report.Segments.ToDictionary(s => s.Id);
        foreach (var facts in report.Streams.Values)
        {
            facts.Entry.ForEachRun(ref byId, static (ref Dictionary<uint, SegmentScan> segments, uint segmentId, long bytes) =>
            {
                if (segments.TryGetValue(segmentId, out var scan))
                {
                    scan.LiveBytes += bytes;
                }
            });
        }
    }

    /// <summary>Reports records the log still needs but no segment holds (a missing segment, skipped damage).</summary>
    private static void CheckCompleteness(ScanReport report)
    {
        foreach (var facts in report.Streams.Values.OrderBy(f => f.Id, StringComparer.Ordinal))
        {
            foreach (var (from, to) in facts.MissingEventRanges())
            {
                string which = from == to ? $"event {from} is" : $"events {from}..{to} are";
                report.Findings.Add(new Finding(FindingKind.Missing, $"stream '{facts.Id}'", null, null,
                    $"{which} missing although the stream needs them (no checkpoint or tombstone covers them): a segment is missing or a damaged record held them"));
            }
        }

        if (report.Snapshot is not { } snapshot)
        {
            return;
        }

        var present = report.Segments.Select(s => s.Id).ToHashSet();
        string snapshotFile = RecoverySnapshot.FileName;
        if (snapshot.Clean)
        {
            foreach (var (id, _, _) in snapshot.Segments)
            {
                if (!present.Contains(id))
                {
                    report.Findings.Add(new Finding(FindingKind.Missing, SegmentHeader.FileName(id), id, null,
                        $"the segment file is missing although {snapshotFile}, written at clean shutdown, lists it"));
                }
            }
        }

        if (!present.Contains(snapshot.RecoveryPointSegment) && !(snapshot.Clean && snapshot.Segments.Exists(s => s.Id == snapshot.RecoveryPointSegment)))
        {
            report.Findings.Add(new Finding(FindingKind.Missing, SegmentHeader.FileName(snapshot.RecoveryPointSegment), snapshot.RecoveryPointSegment, null,
                $"the segment of the recovery point in {snapshotFile} is missing"));
        }

        var latestByHash = new Dictionary<ulong, long>();
        foreach (var facts in report.Streams.Values)
        {
            latestByHash[facts.Hash] = Math.Max(latestByHash.GetValueOrDefault(facts.Hash, LogPosition.None), facts.Entry.LatestPosition);
        }

        int lostStreams = 0;
        int staleStreams = 0;
        var lostSegments = new SortedSet<uint>();
        var staleSegments = new SortedSet<uint>();
        foreach (var entry in snapshot.Streams)
        {
            uint latest = LogPosition.Segment(entry.LatestPosition);
            if (entry.LatestPosition == LogPosition.None || present.Contains(latest))
            {
                continue;
            }

            if (latestByHash.GetValueOrDefault(entry.Hash, LogPosition.None) < entry.LatestPosition)
            {
                lostStreams++;
                lostSegments.Add(latest);
            }
            else
            {
                staleStreams++;
                staleSegments.Add(latest);
            }
        }

        if (lostStreams > 0)
        {
            report.Findings.Add(new Finding(FindingKind.Missing, snapshotFile, null, null,
                $"{lostStreams} stream(s) listed in the recovery snapshot have their latest record in missing segment(s) {string.Join(", ", lostSegments)} and no later record anywhere"));
        }

        if (staleStreams > 0)
        {
            report.Findings.Add(new Finding(FindingKind.Snapshot, snapshotFile, null, null,
                $"{staleStreams} stream(s) are indexed at records in missing segment(s) {string.Join(", ", staleSegments)}; later records of those streams are present, "
                + "but opening the log or reading those streams follows the stale entries and fails ('... the segment is missing'). "
                + "Move index.snapshot out of the directory (keep a copy): open then scans every segment"));
        }

        if (report.MaxLsn < snapshot.NextLsn - 1)
        {
            report.Findings.Add(new Finding(FindingKind.Missing, snapshotFile, null, null,
                $"the recovery snapshot says LSNs up to {snapshot.NextLsn - 1} were written, but the highest LSN in any segment is {report.MaxLsn}"));
        }
    }
}
