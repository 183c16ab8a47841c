using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;

namespace Actors.Wal.Tool.Scanning;

internal static partial class LogScanner
{
    /// <summary>
    /// Chooses the files that form the log with recovery's rules (<c>LogRecovery.RunLocked</c>,
    /// <c>AdoptSparesTakenIntoUse</c>): with a readable manifest, its live segments, the listed spares a durable claim
    /// points into, and the listed spares the writer took into use after a sealed segment (the lowest listed spare above
    /// the last live segment, when that segment's records end with its seal and a valid record starts right after the
    /// spare's header, or the spare's header is damaged; repeated while the adopted segment is sealed). A listed spare is
    /// found under its segment name or its spare name (a power loss can undo the writer's rename, which is only made
    /// durable by the next manifest write). Without a manifest, every segment file (recovery's old behaviour).
    /// </summary>
    /// <returns>The segments to scan, in id order, and the listed spares recovery does not take into use.</returns>
    private static (List<(uint Id, string Path)> Live, List<(uint Id, string Path)> Spares) SelectSegments(ScanReport report)
    {
        string dir = report.Directory;
        var paths = new SortedDictionary<uint, string>();
        foreach (string path in Directory.GetFiles(dir, "*.wal", SearchOption.TopDirectoryOnly))
        {
            if (SegmentHeader.TryParseFileName(Path.GetFileName(path), out uint id))
            {
                paths[id] = path;
            }
        }

        var spares = new List<(uint Id, string Path)>();
        if (report.Manifest is not { } manifest)
        {
            return (paths.Select(p => (p.Key, p.Value)).ToList(), spares);
        }

        var live = new SortedDictionary<uint, string>();
        foreach (var entry in manifest.Segments)
        {
            string named = Path.Combine(dir, SegmentHeader.FileName(entry.Id));
            bool present = paths.Remove(entry.Id);
            if (entry.State != ManifestState.Spare)
            {
                if (present)
                {
                    live[entry.Id] = named;
                }
                else
                {
                    report.Findings.Add(new Finding(FindingKind.Missing, SegmentHeader.FileName(entry.Id), entry.Id, null,
                        $"the segment is listed as live in {SegmentManifest.FileName} but its file is missing (opening the log refuses)"));
                }
            }
            else if (present)
            {
                spares.Add((entry.Id, named));
            }
            else if (File.Exists(named + SegmentManager.SpareSuffix))
            {
                spares.Add((entry.Id, named + SegmentManager.SpareSuffix));
            }
        }

        foreach (var (id, path) in paths)
        {
            report.Notes.Add($"{Path.GetFileName(path)}: not listed in {SegmentManifest.FileName} (a creation or a deletion the process did not finish; it holds nothing the log needs): not scanned; opening the log removes it");
        }

        foreach (var spare in spares.Where(s => report.Claims.TryGet(s.Id, out _, out _) || s.Id == report.Claims.RecoveryPointSegment).ToList())
        {
            // A durable claim points into it: the writer took it into use before a manifest listed it as live.
            spares.Remove(spare);
            live[spare.Id] = spare.Path;
        }

        AdoptSparesTakenIntoUse(live, spares, report);
        return (live.Select(p => (p.Key, p.Value)).ToList(), spares);
    }

    /// <summary>Recovery's adoption of listed spares after a sealed last live segment (see <see cref="SelectSegments"/>).</summary>
    private static void AdoptSparesTakenIntoUse(SortedDictionary<uint, string> live, List<(uint Id, string Path)> spares, ScanReport report)
    {
        while (live.Count > 0)
        {
            var (last, lastPath) = live.Last();
            var candidates = spares.Where(s => s.Id > last).OrderBy(s => s.Id).Take(1).ToList();
            if (candidates.Count == 0)
            {
                return;
            }

            var next = candidates[0];
            if (!(SpareHeaderDamaged(next.Path, next.Id) || StartsWithRecord(next.Path, next.Id)) || !EndsWithSeal(lastPath, last))
            {
                return;
            }

            spares.Remove(next);
            live[next.Id] = next.Path;
            report.Notes.Add($"{Path.GetFileName(next.Path)}: listed as a spare in {SegmentManifest.FileName}, but the writer had taken it into use (the segment before it ends with its seal): scanned as the next segment, as opening the log does");
        }
    }

    /// <summary>
    /// Reports what opening the log does with a listed spare it does not take into use: records written into it after a
    /// seal that never became durable were never acknowledged (discarded), and a damaged header is a creation cut
    /// short (removed; AbsoluteConsistency refuses a damaged spare header, but discards such records with a note like the
    /// other modes).
    /// </summary>
    private static void CheckUnusedSpares(ScanReport report, List<(uint Id, string Path)> spares)
    {
        foreach (var (id, path) in spares)
        {
            string name = Path.GetFileName(path);
            using (var file = OpenEither(path).File)
            {
                if (new SegmentReader(file, Math.Max(RecordHeader.Size, file.Length)).ReadHeader(out _, out ushort version, out ushort minVersion) == SegmentHeaderStatus.UnsupportedVersion)
                {
                    report.Findings.Add(new Finding(FindingKind.UnsupportedVersion, name, id, 0,
                        $"written by format version {version} (readable from version {minVersion}); this tool reads version {SegmentHeader.CurrentVersion}"));
                    continue;
                }
            }

            if (SpareHeaderDamaged(path, id))
            {
                report.Findings.Add(new Finding(FindingKind.TornTail, name, id, 0,
                    "the header of this listed spare segment is damaged; the writer never took it into use after a sealed segment, so it holds nothing acknowledged: opening the log removes it"));
            }
            else if (StartsWithRecord(path, id))
            {
                report.Findings.Add(new Finding(FindingKind.TornTail, name, id, SegmentHeader.Size,
                    "the writer had started writing into this spare segment, but the segment before it has no seal, so nothing written here was acknowledged: opening the log discards these records"));
            }
        }
    }

    /// <summary>True when the header of <paramref name="path"/> is not a valid header of segment <paramref name="id"/> (a newer version is not damage).</summary>
    private static bool SpareHeaderDamaged(string path, uint id)
    {
        using var file = OpenEither(path).File;
        var status = new SegmentReader(file, Math.Max(RecordHeader.Size, file.Length)).ReadHeader(out var header, out _, out _);
        return status != SegmentHeaderStatus.UnsupportedVersion && (status != SegmentHeaderStatus.Ok || header.SegmentId != id);
    }

    /// <summary>True when a valid record lies right after the segment header of <paramref name="path"/>.</summary>
    private static bool StartsWithRecord(string path, uint id)
        => ReadSegment(path, id, reader => reader.ReadAt(SegmentHeader.Size, out _) == ScanStatus.Record);

    /// <summary>True when the records of <paramref name="path"/>, read from its header on, end with a seal record.</summary>
    private static bool EndsWithSeal(string path, uint id)
        => ReadSegment(path, id, reader =>
        {
            long offset = SegmentHeader.Size;
            while (reader.ReadAt(offset, out var record) == ScanStatus.Record)
            {
                if (record.Header.Type == RecordType.Seal)
                {
                    return true;
                }

                offset += record.Header.Length;
            }

            return false;
        });

    /// <summary>Opens a segment read-only for one check; false when its header is not a valid header of segment <paramref name="id"/>.</summary>
    private static bool ReadSegment(string path, uint id, Func<SegmentReader, bool> check)
    {
        using var file = OpenEither(path).File;
        var probe = new SegmentReader(file, Math.Max(RecordHeader.Size, file.Length));
        var status = probe.ReadHeader(out var header, out _, out _);
        if (status != SegmentHeaderStatus.Ok || header.SegmentId != id)
        {
            return false;
        }

        var reader = new SegmentReader(file, Math.Max(RecordHeader.Size, header.SegmentSizeBytes - SegmentHeader.Size - RecordHeader.SealSize));
        return check(reader);
    }

    /// <summary>
    /// Opens a segment file read-only. On a live directory the writer renames a spare to its segment name when it takes
    /// it into use, possibly between the listing and the open: the other name is then tried.
    /// </summary>
    /// <returns>The open file and the name it was found under.</returns>
    private static (IWalFile File, string Path) OpenEither(string path)
    {
        try
        {
            return (PhysicalFileSystem.Instance.OpenFile(path, WalFileMode.OpenReadOnly), path);
        }
        catch (FileNotFoundException)
        {
            string other = path.EndsWith(SegmentManager.SpareSuffix, StringComparison.Ordinal) ? path[..^SegmentManager.SpareSuffix.Length] : path + SegmentManager.SpareSuffix;
            if (!File.Exists(other))
            {
                throw;
            }

            return (PhysicalFileSystem.Instance.OpenFile(other, WalFileMode.OpenReadOnly), other);
        }
    }
}
