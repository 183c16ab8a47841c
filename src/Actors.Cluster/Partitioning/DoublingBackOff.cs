namespace Actors.Cluster.Partitioning;

/// <summary>The wait before a retry of a failed partition step (an open, a replica restart): doubled per failure in a row, capped.</summary>
internal static class DoublingBackOff
{
    /// <summary>
    /// <paramref name="firstDelay"/> after the first failure, twice that after the second, and so on, never more than
    /// <paramref name="maxDelay"/>.
    /// </summary>
    /// <param name="failures">Failures in a row, 1 or more.</param>
    /// <param name="firstDelay">The wait after one failure.</param>
    /// <param name="maxDelay">The longest wait.</param>
    public static TimeSpan Delay(int failures, TimeSpan firstDelay, TimeSpan maxDelay)
    {
        double factor = Math.Pow(2, Math.Min(Math.Max(failures, 1) - 1, 30));
        return firstDelay * factor < maxDelay ? firstDelay * factor : maxDelay;
    }
}
