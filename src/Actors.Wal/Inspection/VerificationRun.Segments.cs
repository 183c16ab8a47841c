using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;

namespace Actors.Wal.Inspection;

internal sealed partial class VerificationRun
{
    /// <summary>
    /// Chooses the files that form the log as opening it does (<see cref="LogRecovery"/>): with a readable manifest,
    /// its live segments and the listed spares that <see cref="SpareAdoption.Adopt"/>, the rule recovery calls too, takes
    /// into the log (a listed spare is found under its segment name or its spare name: <see cref="SpareAdoption.Locate"/>).
    /// Without a manifest, every segment file (recovery's old behaviour).
    /// </summary>
    /// <returns>The segments to scan, in id order, and the listed spares recovery does not take into use.</returns>
    private (List<(uint Id, string Path)> Live, List<(uint Id, string Path)> Spares) SelectSegments()
    {
        string dir = _directory;
        var paths = new SortedDictionary<uint, string>();
        foreach (string path in Directory.GetFiles(dir, "*.wal", SearchOption.TopDirectoryOnly))
        {
            if (SegmentHeader.TryParseFileName(Path.GetFileName(path), out uint id))
            {
                paths[id] = path;
            }
        }

        var spares = new List<(uint Id, string Path)>();
        if (_manifest is not { } manifest)
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
                    _findings.Add(new LogFinding(LogFindingKind.Missing, SegmentHeader.FileName(entry.Id), entry.Id, null,
                        $"the segment is listed as live in {SegmentManifest.FileName} but its file is missing (opening the log refuses)"));
                }
            }
            else if (SpareAdoption.Locate(dir, entry.Id, present, File.Exists) is { } spare)
            {
                spares.Add((entry.Id, spare));
            }
        }

        foreach (var (id, path) in paths)
        {
            _notes.Add($"{Path.GetFileName(path)}: not listed in {SegmentManifest.FileName} (a creation or a deletion the process did not finish; it holds nothing the log needs): not scanned; opening the log removes it");
        }

        foreach (var (_, path, reason) in SpareRule.Adopt(live, spares, _claims))
        {
            if (reason == SpareAdoption.Reason.FollowsSeal)
            {
                _notes.Add($"{Path.GetFileName(path)}: listed as a spare in {SegmentManifest.FileName}, but the writer had taken it into use (the segment before it ends with its seal): scanned as the next segment, as opening the log does");
            }
        }

        return (live.Select(p => (p.Key, p.Value)).ToList(), spares);
    }

    /// <summary>
    /// Reports what opening the log does with a listed spare it does not take into use: records written into it after a
    /// seal that never became durable were never acknowledged (discarded), and a damaged header is a creation cut
    /// short (removed; AbsoluteConsistency refuses a damaged spare header, but discards such records with a note like the
    /// other modes).
    /// </summary>
    private void CheckUnusedSpares(List<(uint Id, string Path)> spares)
    {
        foreach (var (id, path) in spares)
        {
            string name = Path.GetFileName(path);
            using (var file = OpenEither(path).File)
            {
                if (new SegmentReader(file, Math.Max(RecordHeader.Size, file.Length)).ReadHeader(out _, out ushort version, out ushort minVersion) == SegmentHeaderStatus.UnsupportedVersion)
                {
                    _findings.Add(new LogFinding(LogFindingKind.UnsupportedVersion, name, id, 0,
                        $"written by format version {version} (readable from version {minVersion}); this build reads version {SegmentHeader.CurrentVersion}"));
                    continue;
                }
            }

            if (SpareRule.HeaderDamaged(path, id))
            {
                _findings.Add(new LogFinding(LogFindingKind.TornTail, name, id, 0,
                    "the header of this listed spare segment is damaged; the writer never took it into use after a sealed segment, so it holds nothing acknowledged: opening the log removes it"));
            }
            else if (SpareRule.HoldsRecord(path, id))
            {
                _findings.Add(new LogFinding(LogFindingKind.TornTail, name, id, SegmentHeader.Size,
                    "the writer had started writing into this spare segment, but the segment before it has no seal, so nothing written here was acknowledged: opening the log discards these records"));
            }
        }
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
