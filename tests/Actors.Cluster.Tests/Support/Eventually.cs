namespace Actors.Cluster.Tests.Support;

/// <summary>Waits for a condition with a deadline whose failure message says what was awaited (no fixed sleeps).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout} for: {what}.");
            }

            await Task.Delay(50);
        }
    }

    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what) => TrueAsync(() => Task.FromResult(condition()), timeout, what);
}
