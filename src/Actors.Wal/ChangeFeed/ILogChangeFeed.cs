namespace Actors.Wal;

/// <summary>
/// The log-wide change feed: every stream's appends, checkpoints and deletions in commit (LSN) order, read from a stored
/// position and, when asked, tailed as new records become durable.
/// </summary>
/// <remarks>
/// <para><b>Durable only.</b> A change is handed out only once it is on stable storage (fsynced), so nothing a reader saw
/// can vanish in a crash: under <see cref="SyncPolicy.Always"/> that is when its append completes, under
/// <see cref="SyncPolicy.Interval"/> within the sync interval, under <see cref="SyncPolicy.None"/> at the next
/// <see cref="IEventLog.FlushAsync"/> (or close).</para>
/// <para><b>At least once, exactly the LSN order.</b> A reader stores <see cref="LogChange.Position"/> after handling a
/// change; resumed from it, the feed continues with the next LSN. Storing positions less often than every change only
/// repeats changes (the LSN tells which were seen). A missing LSN is never skipped: it is a
/// <see cref="ChangeFeedGapException"/> (the records were reclaimed by space management, or lost to damage).</para>
/// <para><b>Bounded memory and back-pressure.</b> The feed is pulled: it reads the log in windows of at most
/// <see cref="ReadWindowBytes"/> (a record larger than that alone) only when the reader asks for the next change, so a
/// slow reader falls behind in the log, not in memory, and never slows writers.</para>
/// <para>Relocated copies that compaction writes are not changes and are not handed out (their items keep the LSNs the
/// feed already handed out); neither are segment seals.</para>
/// <para>Thread safety: any number of readers, each enumeration used by one consumer at a time.</para>
/// </remarks>
public interface ILogChangeFeed
{
    /// <summary>The bytes a change-feed read fetches at most at once (plus one record larger than this).</summary>
    const int ReadWindowBytes = 256 * 1024;

    /// <summary>Reads the changes after <paramref name="from"/> in LSN order.</summary>
    /// <param name="from">Where to start: <see cref="ChangeFeedPosition.Beginning"/>, <see cref="ChangeFeedPosition.Oldest"/> or a stored <see cref="LogChange.Position"/>.</param>
    /// <param name="follow">
    /// True: at the durable end, wait for more (tail) until cancelled. False: end the enumeration at the durable end as it
    /// is when reached (a catch-up read). A log that cannot receive appends (read-only) ends at its end either way.
    /// </param>
    /// <param name="cancellationToken">Stops the read (the enumeration throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>The changes, each with the position to resume after it.</returns>
    /// <exception cref="ChangeFeedGapException">A change the reader has not seen is no longer in the log.</exception>
    /// <exception cref="ChangeFeedPositionException"><paramref name="from"/> lies beyond the log's durable end (a position of another log, or of a log restored from an older copy).</exception>
    /// <exception cref="LogCorruptedException">A durable record on the way fails its checksum.</exception>
    /// <exception cref="LogFailedException">The log failed (I/O error): everything durable before the failure was handed out, nothing more can come.</exception>
    /// <exception cref="ObjectDisposedException">The log was closed.</exception>
    IAsyncEnumerable<LogChange> ReadChangesAsync(ChangeFeedPosition from, bool follow = true, CancellationToken cancellationToken = default);
}
