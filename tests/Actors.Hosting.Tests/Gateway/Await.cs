namespace Actors.Hosting.Tests.Gateway;

/// <summary>
/// Awaited conditions with a limit whose failure message says what was awaited. The limit only bounds a hang: the suite
/// shares two cores with other test processes (a 15 s default failed 800 gateway calls at load 31), so it is generous.
/// </summary>
public static class Await
{
    /// <summary>The default limit of every wait, in seconds.</summary>
    public const int DefaultLimitSeconds = 120;

    public static async Task UntilAsync(Func<bool> condition, Func<string> describe, int limitSeconds = DefaultLimitSeconds)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(limitSeconds));
        while (!condition())
        {
            try
            {
                await Task.Delay(10, limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waited {limitSeconds} s for: {describe()}");
            }
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, Func<string> describe, int limitSeconds = DefaultLimitSeconds)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(limitSeconds));
        while (!await condition())
        {
            try
            {
                await Task.Delay(10, limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waited {limitSeconds} s for: {describe()}");
            }
        }
    }

    public static async Task<T> WithinAsync<T>(Task<T> task, string what, int limitSeconds = DefaultLimitSeconds)
    {
        try
        {
            return await task.WaitAsync(TimeSpan.FromSeconds(limitSeconds));
        }
        catch (TimeoutException ex) when (!task.IsCompleted)
        {
            throw new TimeoutException($"Waited {limitSeconds} s for: {what}", ex);
        }
    }
}
