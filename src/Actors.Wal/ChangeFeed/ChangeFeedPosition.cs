namespace Actors.Wal;

/// <summary>
/// Where a change-feed reader stands: every change up to <see cref="Lsn"/> was handed out, and the next one is found at
/// or after <see cref="Address"/>. Store both numbers (they are plain <see cref="long"/>s) to resume after a restart.
/// </summary>
/// <remarks>
/// <para><see cref="Lsn"/> is the contract: a reader resumed from a position hands out exactly the changes with LSNs
/// above it, in LSN order, and the first one it hands out has LSN <c>Lsn + 1</c>; if the log no longer holds that change
/// the reader throws <see cref="ChangeFeedGapException"/> instead of skipping it. <see cref="Address"/> is a hint that
/// makes resuming O(1) (the segment and offset of the record holding the change); a hint whose segment is gone is
/// corrected by the LSN check, never trusted blindly.</para>
/// <para>Positions taken from <see cref="LogChange.Position"/> are valid for the log they came from only.</para>
/// </remarks>
/// <param name="Lsn">The LSN of the last change handed out; 0 before the first (see <see cref="Beginning"/>), -1 for <see cref="Oldest"/>.</param>
/// <param name="Address">The record address to resume at (segment id in the high 32 bits, byte offset in the low 32); -1 for "the first segment".</param>
public readonly record struct ChangeFeedPosition(long Lsn, long Address)
{
    /// <summary>The start of the log: the first change must be LSN 1; if space management already reclaimed it, the read throws <see cref="ChangeFeedGapException"/>.</summary>
    public static ChangeFeedPosition Beginning { get; } = new(0, -1);

    /// <summary>The oldest change the log still holds, whatever its LSN (a reader that accepts missing history it never saw).</summary>
    public static ChangeFeedPosition Oldest { get; } = new(-1, -1);

    /// <summary>
    /// The position after change <paramref name="lsn"/> without an address (a reader that stored only LSNs): the first
    /// change handed out is <c>lsn + 1</c>. Finding its segment costs one small read per segment, newest first.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lsn"/> is negative.</exception>
    public static ChangeFeedPosition AfterLsn(long lsn)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lsn);
        return new ChangeFeedPosition(lsn, -1);
    }

    /// <inheritdoc />
    public override string ToString() => Lsn < 0 ? "oldest" : $"lsn {Lsn} at {(Address < 0 ? "start" : $"{(uint)((ulong)Address >> 32)}:{(uint)Address}")}";
}
