using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Recovery;

namespace Actors.Wal.Inspection;

internal sealed partial class VerificationRun
{
    private void LoadSnapshot()
    {
        var loaded = RecoverySnapshotFiles.Load(PhysicalFileSystem.Instance, _directory);
        _snapshotPresent = loaded.Present;
        _snapshot = loaded.Index;
        if (loaded.Present && loaded.Index is null)
        {
            _findings.Add(new LogFinding(LogFindingKind.Snapshot, RecoverySnapshot.FileName, null, null,
                $"{loaded.Note} Opening the log does the same (no record is lost, but a file was damaged on disk)"));
        }
    }

    private void LoadManifest()
    {
        string path = Path.Combine(_directory, SegmentManifest.FileName);
        if (File.Exists(path))
        {
            // A damaged or newer manifest only costs the claims it would add; recovery reports it at open.
            _manifest = SegmentManifest.TryParse(File.ReadAllBytes(path), out _, out _, out _);
        }
    }

    /// <summary>Applies the engine's liveness rule (each stream's live runs, rebuilt in log order) per segment.</summary>
    private void ComputeLiveBytes()
    {
        var byId = _segments.ToDictionary(s => s.Id);
        foreach (var facts in _streams.Values)
        {
            facts.Entry.ForEachRun(ref byId, static (ref Dictionary<uint, SegmentFacts> segments, uint segmentId, long bytes) =>
            {
                if (segments.TryGetValue(segmentId, out var scan))
                {
                    scan.LiveBytes += bytes;
                }
            });
        }
    }

    /// <summary>Reports records the log still needs but no segment holds (a missing segment, skipped damage).</summary>
    private void CheckCompleteness()
    {
        foreach (var facts in _streams.Values.OrderBy(f => f.Id, StringComparer.Ordinal))
        {
            foreach (var (from, to) in facts.MissingEventRanges())
            {
                string which = from == to ? $"event {from} is" : $"events {from}..{to} are";
                _findings.Add(new LogFinding(LogFindingKind.Missing, $"stream '{facts.Id}'", null, null,
                    $"{which} missing although the stream needs them (no checkpoint or tombstone covers them): a segment is missing or a damaged record held them"));
            }
        }

        if (_snapshot is not { } snapshot)
        {
            return;
        }

        var present = _segments.Select(s => s.Id).ToHashSet();
        string snapshotFile = RecoverySnapshot.FileName;
        if (snapshot.Clean)
        {
            foreach (var (id, _, _) in snapshot.Segments)
            {
                if (!present.Contains(id))
                {
                    _findings.Add(new LogFinding(LogFindingKind.Missing, SegmentHeader.FileName(id), id, null,
                        $"the segment file is missing although {snapshotFile}, written at clean shutdown, lists it"));
                }
            }
        }

        if (!present.Contains(snapshot.RecoveryPointSegment) && !(snapshot.Clean && snapshot.Segments.Exists(s => s.Id == snapshot.RecoveryPointSegment)))
        {
            _findings.Add(new LogFinding(LogFindingKind.Missing, SegmentHeader.FileName(snapshot.RecoveryPointSegment), snapshot.RecoveryPointSegment, null,
                $"the segment of the recovery point in {snapshotFile} is missing"));
        }

        var latestByHash = new Dictionary<ulong, long>();
        foreach (var facts in _streams.Values)
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
            _findings.Add(new LogFinding(LogFindingKind.Missing, snapshotFile, null, null,
                $"{lostStreams} stream(s) listed in the recovery snapshot have their latest record in missing segment(s) {string.Join(", ", lostSegments)} and no later record anywhere"));
        }

        if (staleStreams > 0)
        {
            _findings.Add(new LogFinding(LogFindingKind.Snapshot, snapshotFile, null, null,
                $"{staleStreams} stream(s) are indexed at records in missing segment(s) {string.Join(", ", staleSegments)}; later records of those streams are present, "
                + "but opening the log or reading those streams follows the stale entries and fails ('... the segment is missing'). "
                + "Move index.snapshot (and index.delta, if present) out of the directory (keep a copy): open then scans every segment"));
        }

        if (_maxLsn < snapshot.NextLsn - 1)
        {
            _findings.Add(new LogFinding(LogFindingKind.Missing, snapshotFile, null, null,
                $"the recovery snapshot says LSNs up to {snapshot.NextLsn - 1} were written, but the highest LSN in any segment is {_maxLsn}"));
        }
    }
}
