using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Segments;

namespace Actors.Wal.Recovery;

/// <summary>
/// The one rule for which segment files a manifest lists as spares belong to the log. Opening a log
/// (<see cref="LogRecovery"/>) and <see cref="Inspection.LogInspector"/> (what <c>actors-wal validate</c> runs) both call it,
/// so the inspector reports exactly what opening the log does (round 9 found the two written separately and disagreeing).
/// </summary>
/// <remarks>
/// <para>
/// A spare is listed in the manifest after its header and the directory are durable and before the writer may switch to
/// it. The writer then rotates into it without writing the manifest (the committer acknowledges records in the new
/// segment without waiting for the manifest write that runs in the background), so a listed spare can hold acknowledged
/// records. It belongs to the log when:
/// </para>
/// <list type="bullet">
/// <item>a durable claim (recovery snapshot or manifest) points into it: the writer took it into use before a manifest
/// listed it as live; or</item>
/// <item>it is the lowest listed spare above the last live segment, that segment's records end with its seal record
/// (synced before anything after it was acknowledged), and the spare holds a valid record of its own (right after its
/// header, or further on when the first one is damaged: opening it then reports that damage instead of taking the
/// segment for an unused spare and losing what it holds), or the spare's header is damaged (opening it then tells a torn
/// creation from damage above records). Repeated while the adopted segment is itself sealed (several rotations before
/// the manifest caught up).</item>
/// </list>
/// <para>
/// A spare whose predecessor has no seal stays a spare: whatever it holds was never acknowledged (the seal is synced
/// first). Reading the predecessor to its seal costs a scan of one segment, only when a spare holds a record at its start
/// (the process stopped between a rotation and the next manifest write).
/// </para>
/// <para>Reads only; thread-safe when the open delegate is.</para>
/// </remarks>
internal sealed class SpareAdoption
{
    private readonly Func<string, IWalFile> _openReadOnly;
    private readonly long? _maxRecordLength;

    /// <summary>Creates the rule over a way to open segment files.</summary>
    /// <param name="openReadOnly">Opens a segment file for reading; the caller's file system (recovery) or one that also
    /// tries the other name of a spare the writer may be renaming (the tool on a live directory).</param>
    /// <param name="maxRecordLength">The longest valid record (recovery: from the options' segment size); null to derive
    /// it from each segment's header (the tool, which has no options).</param>
    public SpareAdoption(Func<string, IWalFile> openReadOnly, long? maxRecordLength)
    {
        ArgumentNullException.ThrowIfNull(openReadOnly);
        _openReadOnly = openReadOnly;
        _maxRecordLength = maxRecordLength;
    }

    /// <summary>Why a listed spare was taken into the log.</summary>
    public enum Reason
    {
        /// <summary>A durable claim points into it.</summary>
        DurableClaim,

        /// <summary>It follows the sealed last live segment and holds a record of its own (or its header is damaged).</summary>
        FollowsSeal,
    }

    /// <summary>
    /// Where the file of the listed spare <paramref name="id"/> is: under its segment name when that file exists (the
    /// writer renames a spare when it takes it into use), else under its spare name (a power loss can undo the rename,
    /// which only the next manifest write makes durable); null when neither exists.
    /// </summary>
    /// <param name="directory">The log directory.</param>
    /// <param name="id">The spare's segment id.</param>
    /// <param name="segmentFilePresent">True when a file with the segment name of <paramref name="id"/> exists.</param>
    /// <param name="spareFilePresent">Tells whether the spare-named file (full path) exists; recovery also takes it out of
    /// its list of unlisted spares.</param>
    public static string? Locate(string directory, uint id, bool segmentFilePresent, Func<string, bool> spareFilePresent)
    {
        ArgumentNullException.ThrowIfNull(spareFilePresent);
        string named = Path.Combine(directory, SegmentHeader.FileName(id));
        if (segmentFilePresent)
        {
            return named;
        }

        return spareFilePresent(named + SegmentManager.SpareSuffix) ? named + SegmentManager.SpareSuffix : null;
    }

    /// <summary>
    /// Moves from <paramref name="spares"/> into <paramref name="live"/> every listed spare that belongs to the log (see
    /// the class remarks): first those a durable claim points into, then those taken into use after a sealed segment.
    /// </summary>
    /// <param name="live">The live segments by id (their paths); adopted spares are added.</param>
    /// <param name="spares">The listed spares found on disk; adopted ones are removed, the rest are not in use.</param>
    /// <param name="claims">The durable claims of the snapshot and manifest.</param>
    /// <returns>The adopted spares in the order adopted, with the reason (for the caller's notes).</returns>
    public List<(uint Id, string Path, Reason Reason)> Adopt(SortedDictionary<uint, string> live, List<(uint Id, string Path)> spares, DurableClaims claims)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(spares);
        ArgumentNullException.ThrowIfNull(claims);
        var adopted = new List<(uint Id, string Path, Reason Reason)>();
        foreach (var (id, path) in spares.Where(s => claims.TryGet(s.Id, out _, out _) || s.Id == claims.RecoveryPointSegment).ToList())
        {
            spares.RemoveAll(s => s.Id == id);
            live[id] = path;
            adopted.Add((id, path, Reason.DurableClaim));
        }

        while (live.Count > 0)
        {
            var (last, lastPath) = live.Last();
            int next = -1;
            for (int i = 0; i < spares.Count; i++)
            {
                if (spares[i].Id > last && (next < 0 || spares[i].Id < spares[next].Id))
                {
                    next = i;
                }
            }

            if (next < 0 || !(HeaderDamaged(spares[next].Path, spares[next].Id) || HoldsRecord(spares[next].Path, spares[next].Id)) || !EndsWithSeal(lastPath, last))
            {
                return adopted;
            }

            var (id, path) = spares[next];
            spares.RemoveAt(next);
            live[id] = path;
            adopted.Add((id, path, Reason.FollowsSeal));
        }

        return adopted;
    }

    /// <summary>
    /// True when the header of <paramref name="path"/> is not a valid header of segment <paramref name="id"/> (a newer
    /// format version is not damage): a spare's header is fsynced before the manifest lists it, so this is a creation cut
    /// short or damage.
    /// </summary>
    public bool HeaderDamaged(string path, uint id)
    {
        using var file = _openReadOnly(path);
        var status = new SegmentReader(file, Math.Max(RecordHeader.Size, file.Length)).ReadHeader(out var header, out _, out _);
        return status != SegmentHeaderStatus.UnsupportedVersion && (status != SegmentHeaderStatus.Ok || header.SegmentId != id);
    }

    /// <summary>
    /// True when <paramref name="path"/> holds a valid record of segment <paramref name="id"/> (its salt): right after the
    /// header, or anywhere after it when the first one is damaged. A spare's preparation leaves only zeros, or a recycled
    /// file's old records, which fail validation under the new header's salt.
    /// </summary>
    public bool HoldsRecord(string path, uint id)
        => ReadSegment(path, id, reader => reader.ReadAt(SegmentHeader.Size, out _) == ScanStatus.Record
            || reader.FindNextValidRecord(SegmentHeader.Size) >= 0);

    /// <summary>True when the records of <paramref name="path"/>, read from its header on, end with a seal record.</summary>
    public bool EndsWithSeal(string path, uint id)
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
    private bool ReadSegment(string path, uint id, Func<SegmentReader, bool> check)
    {
        using var file = _openReadOnly(path);
        var reader = new SegmentReader(file, _maxRecordLength ?? Math.Max(RecordHeader.Size, file.Length));
        var status = reader.ReadHeader(out var header, out _, out _);
        if (status != SegmentHeaderStatus.Ok || header.SegmentId != id)
        {
            return false;
        }

        if (_maxRecordLength is null)
        {
            reader = new SegmentReader(file, Math.Max(RecordHeader.Size, header.SegmentSizeBytes - SegmentHeader.Size - RecordHeader.SealSize));
        }

        return check(reader);
    }
}
