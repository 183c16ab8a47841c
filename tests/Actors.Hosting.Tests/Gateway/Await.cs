namespace Actors.Hosting.Tests.Gateway;

/// <summary>Awaited conditions with a limit whose failure message says what was awaited.</summary>
public static class Await
{
    public static async Task UntilAsync(Func<bool> condition, Func<string> describe, int limitSeconds = 15)
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

    public static async Task UntilAsync(Func<Task<bool>> condition, Func<string> describe, int limitSeconds = 15)
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

    public static async Task<T> WithinAsync<T>(Task<T> task, string what, int limitSeconds = 15)
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
