using System.Globalization;

namespace Actors.Wal.Segments;

/// <summary>
/// How a new spare's zeros go to the device beside the commit fsyncs (only logs with
/// <see cref="WriteAheadLogOptions.ZeroFillSegments"/> zero-fill): in chunks, each fdatasynced before the next, so a
/// commit's flush never queues behind more than one chunk (RocksDB's <c>bytes_per_sync</c>); and spread over a share of the
/// time the active segment is expected to last, so the chunks come one at a time between commits instead of back to back
/// (RocksDB's rate limiter). issue 37 (measured before commit edf0e68; the run logs are in git history): the zeros held part of the p99 tail.
/// </summary>
internal static class ZeroFillPacing
{
    /// <summary>The AppContext data (an integer) that overrides <see cref="ChunkBytes"/>, for side-by-side measurements.</summary>
    public const string ChunkSwitch = "Actors.Wal.ZeroFillChunkBytes";

    /// <summary>The AppContext data (an integer, percent) that overrides <see cref="SpreadPercent"/>, for side-by-side measurements.</summary>
    public const string SpreadSwitch = "Actors.Wal.ZeroFillSpreadPercent";

    /// <summary>
    /// The default chunk: 256 KiB (a commit waits behind one such flush at most; issue 37's A/B on this machine's faster
    /// disk put the p99 of the appends beside a spare's preparation at 2.4-2.9 ms with 256 KiB against 4.6-4.8 ms with the
    /// earlier 1 MiB).
    /// </summary>
    public const int DefaultChunkBytes = 256 * 1024;

    /// <summary>
    /// The default share of the active segment's expected lifetime the zero-filling is spread over: 0, back to back (in
    /// issue 37's loaded A/B a spread of 25-50% did not lower the p99, it only put more appends beside a preparation, and
    /// it makes the spare ready later).
    /// </summary>
    public const int DefaultSpreadPercent = 0;

    /// <summary>The longest a zero-filling is ever spread over, however slowly the log fills its segments.</summary>
    public static readonly TimeSpan MaxSpread = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Bytes of zeros written at a time, each chunk fdatasynced before the next (read once per spare; at most 1 MiB;
    /// default <see cref="DefaultChunkBytes"/>). 0 (the data <see cref="ChunkSwitch"/>): the behaviour before round 10, the
    /// whole segment written into the page cache in 1 MiB writes and pushed out by one fsync at the end, with no spreading.
    /// </summary>
    public static int ChunkBytes => Read(ChunkSwitch, DefaultChunkBytes);

    /// <summary>
    /// The share (percent) of the active segment's expected lifetime (the time between the last two rotations) over which a
    /// spare's chunks are spread (the data <see cref="SpreadSwitch"/>); 0, the default: back to back, as in rounds 10-11.
    /// Unknown lifetimes (before the second rotation) are not spread.
    /// </summary>
    public static int SpreadPercent => Math.Min(Read(SpreadSwitch, DefaultSpreadPercent), 100);

    /// <summary>
    /// The time a spare's zero-filling is spread over when the active segment is expected to last
    /// <paramref name="expectedLifetime"/> and the spread is <paramref name="percent"/> of it (at most <see cref="MaxSpread"/>).
    /// </summary>
    public static TimeSpan Spread(TimeSpan expectedLifetime, int percent)
    {
        if (expectedLifetime <= TimeSpan.Zero || percent <= 0)
        {
            return TimeSpan.Zero;
        }

        var spread = expectedLifetime * Math.Min(percent, 100) / 100;
        return spread < MaxSpread ? spread : MaxSpread;
    }

    /// <summary>
    /// How long to wait before the chunk that starts at <paramref name="filled"/> of <paramref name="total"/> bytes so the
    /// chunks keep an even pace over <paramref name="spread"/>, <paramref name="elapsed"/> after the filling started (zero
    /// when behind that pace).
    /// </summary>
    public static TimeSpan DelayBeforeChunk(long filled, long total, TimeSpan elapsed, TimeSpan spread)
    {
        if (spread <= TimeSpan.Zero || total <= 0)
        {
            return TimeSpan.Zero;
        }

        var due = spread * ((double)filled / total);
        return due > elapsed ? due - elapsed : TimeSpan.Zero;
    }

    private static int Read(string name, int fallback) => AppContext.GetData(name) switch
    {
        int n when n >= 0 => n,
        string text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) => n,
        _ => fallback,
    };
}
