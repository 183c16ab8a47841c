namespace Actors.Wal.Segments;

internal sealed partial class SegmentManager
{
    /// <summary><see cref="BackgroundActivity"/> flag: a spare is being prepared (zero-filled, given a header, synced, listed) or checked.</summary>
    public const int PreparingSpareActivity = 1;

    /// <summary><see cref="BackgroundActivity"/> flag: a manifest write (temp file, fsync, rename, directory fsync) is under way.</summary>
    public const int WritingManifestActivity = 2;

    /// <summary>The AppContext data (an integer) that overrides <see cref="ZeroFillChunkBytes"/>, for side-by-side measurements.</summary>
    public const string ZeroFillChunkSwitch = "Actors.Wal.ZeroFillChunkBytes";

    private const int DefaultZeroFillChunkBytes = 1024 * 1024;

    private int _manifestWrites;

    /// <summary>
    /// What the background work is doing right now, as <see cref="PreparingSpareActivity"/> and
    /// <see cref="WritingManifestActivity"/> flags (any thread, no lock; a snapshot that may be stale at once). For
    /// measurements that attribute append latencies to the work beside them.
    /// </summary>
    public int BackgroundActivity
        => (Volatile.Read(ref _preparingId) != 0 ? PreparingSpareActivity : 0) | (Volatile.Read(ref _manifestWrites) != 0 ? WritingManifestActivity : 0);

    /// <summary>Segments the writer switched to since open (spares taken plus segments created inline; any thread).</summary>
    public long Rotations => SparesUsed + SegmentsCreatedInline;

    /// <summary>
    /// The zero-filling of a new spare writes this many bytes at a time (default 1 MiB) and fdatasyncs each chunk before the
    /// next, so at most one chunk of zeros is ever queued at the device ahead of a commit's flush (RocksDB's
    /// <c>bytes_per_sync</c> idea). Without the pacing (the data
    /// <see cref="ZeroFillChunkSwitch"/> set to 0: the behaviour before session 10) the whole segment was written into the
    /// page cache and pushed to the device by one fsync at the end, and every commit fdatasync issued meanwhile waited
    /// behind up to a segment of zeros (docs/benchmarks.md, "Round 10"). Read once per spare.
    /// </summary>
    public static int ZeroFillChunkBytes => AppContext.GetData(ZeroFillChunkSwitch) switch
    {
        int n when n >= 0 => Math.Min(n, Zeros.Length),
        string text when int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) => Math.Min(n, Zeros.Length),
        _ => DefaultZeroFillChunkBytes,
    };
}
