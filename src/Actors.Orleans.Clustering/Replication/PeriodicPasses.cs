namespace Actors.Orleans.Clustering.Replication;

/// <summary>The loop of a silo's periodic maintenance passes (the leadership rebalance, the replacement of absent replicas).</summary>
internal static class PeriodicPasses
{
    /// <summary>
    /// Runs <paramref name="pass"/> every <paramref name="interval"/> until <paramref name="stopping"/>; a pass runs to its
    /// end. A failed pass (a cancellation from below, such as a timed-out read, included) goes to <paramref name="failed"/>
    /// and the loop goes on: a loop that ended silently would leave the work it does undone for the silo's lifetime.
    /// </summary>
    public static async Task RunAsync(TimeSpan interval, TimeProvider time, Func<Task> pass, Action<Exception> failed, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await pass().ConfigureAwait(false);
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    failed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
