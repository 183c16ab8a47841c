namespace Actors.Reminders;

/// <summary>
/// The cadence of a reminder: its ticks are the points <c>StartAt + n * Period</c> (n = 0, 1, ...), whenever they are
/// delivered. All times are UTC <see cref="DateTime"/>s; results are clamped to <see cref="DateTime.MaxValue"/>.
/// </summary>
/// <remarks>
/// Catch-up rule: a reminder delivers at most one tick at a time. When its next point is due, the tick delivered is
/// the <em>latest</em> point at or before now, so ticks missed while the silo was down (or while a delivery ran long)
/// are delivered once, not once per missed period; the following tick is the next point after it.
/// </remarks>
internal static class ReminderSchedule
{
    /// <summary>The first tick not yet delivered: the point after the last recorded one, or the first point.</summary>
    public static DateTime NextTick(DateTime startAt, TimeSpan period, DateTime? lastTickTime)
        => lastTickTime is { } last ? Following(last, period) : startAt;

    /// <summary>The point after <paramref name="tick"/>.</summary>
    public static DateTime Following(DateTime tick, TimeSpan period)
        => tick.Ticks > DateTime.MaxValue.Ticks - period.Ticks ? DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc) : tick + period;

    /// <summary>The latest point at or before <paramref name="now"/>, given that <paramref name="due"/> (a point) is at or before it.</summary>
    public static DateTime LatestAtOrBefore(DateTime startAt, TimeSpan period, DateTime due, DateTime now)
    {
        if (now <= due)
        {
            return due;
        }

        long periods = (now.Ticks - startAt.Ticks) / period.Ticks;
        return new DateTime(startAt.Ticks + (periods * period.Ticks), DateTimeKind.Utc);
    }
}
