using Actors.Wal.Format;

namespace Actors.Wal.Recovery;

/// <summary>
/// The positions the log recorded on disk as durable, per segment: the recovery point and the segment table of
/// <c>index.snapshot</c> (each written only after everything before it was fsynced; the clean-shutdown snapshot's
/// recovery point is the end of the log) and the sealed lengths in <c>segments.manifest</c>.
/// </summary>
/// <remarks>
/// Recovery and <see cref="Inspection.LogInspector"/> use it the same way (through <see cref="SegmentWalker"/>): a segment file shorter than its claim, a claimed
/// segment that is missing, or damage at an offset below the claim is <em>corruption of acknowledged data</em>, never
/// a torn tail (a torn tail can only lie after the last fsync). A claim is believed whenever the file holding it
/// passes its checksum, even when the snapshot is not used as an index (an older version, or inconsistent with
/// the segment files): the claim needs no more than the CRC to be trusted.
/// </remarks>
internal sealed class DurableClaims
{
    private readonly Dictionary<uint, Claim> _ends = [];

    /// <summary>The segment of the snapshot's recovery point, if a snapshot was read.</summary>
    public uint? RecoveryPointSegment { get; private set; }

    /// <summary>Every segment with a claim.</summary>
    public IEnumerable<uint> Segments => _ends.Keys;

    /// <summary>Collects the claims of the files read at open (either may be null: missing or damaged).</summary>
    /// <param name="snapshot">The recovery snapshot, or null.</param>
    /// <param name="manifest">The manifest, or null.</param>
    /// <param name="recoveryPointClaimed">False when the segment of the snapshot's recovery point may have been deleted
    /// legitimately since (<see cref="LoadedSnapshot.RecoveryPointClaimed"/>): its offset still counts if the segment is
    /// there, its absence is not reported.</param>
    public static DurableClaims From(RecoverySnapshot? snapshot, SegmentManifest? manifest, bool recoveryPointClaimed = true)
    {
        var claims = new DurableClaims();
        if (snapshot is not null)
        {
            string kind = snapshot.Clean ? " (written at clean shutdown)" : "";
            foreach (var (id, _, writeOffset) in snapshot.Segments)
            {
                claims.Add(id, writeOffset, $"the segment table of {RecoverySnapshot.FileName}{kind}");
            }

            claims.Add(snapshot.RecoveryPointSegment, snapshot.RecoveryPointOffset, $"the recovery point of {RecoverySnapshot.FileName}{kind}");
            claims.RecoveryPointSegment = recoveryPointClaimed ? snapshot.RecoveryPointSegment : null;
        }

        if (manifest is not null)
        {
            foreach (var entry in manifest.Segments)
            {
                if (entry.IsSealed)
                {
                    claims.Add(entry.Id, entry.SealedLength, $"the sealed length in {SegmentManifest.FileName}");
                }
            }
        }

        return claims;
    }

    /// <summary>The end of the durable records of <paramref name="segmentId"/> and which file says so.</summary>
    public bool TryGet(uint segmentId, out long end, out string source)
    {
        if (_ends.TryGetValue(segmentId, out var claim) && claim.End > SegmentHeader.Size)
        {
            (end, source) = (claim.End, claim.Source);
            return true;
        }

        (end, source) = (0, "");
        return false;
    }

    /// <summary>True when damage at <paramref name="offset"/> of <paramref name="segmentId"/> lies below a durable claim.</summary>
    public bool Covers(uint segmentId, long offset, out string why)
    {
        if (TryGet(segmentId, out long end, out string source) && offset < end)
        {
            why = $"{source} records acknowledged data up to offset {end}, so this is not a torn tail";
            return true;
        }

        why = "";
        return false;
    }

    private void Add(uint segmentId, long end, string source)
    {
        if (!_ends.TryGetValue(segmentId, out var existing) || end > existing.End)
        {
            _ends[segmentId] = new Claim(end, source);
        }
    }

    private readonly record struct Claim(long End, string Source);
}
