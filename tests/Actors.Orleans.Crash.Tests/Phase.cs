namespace Actors.Orleans.Crash.Tests;

/// <summary>Awaits a condition with a generous limit; a timeout says which phase waited for what and what it saw.</summary>
internal static class Phase
{
    /// <summary>The limit of each phase: generous, for a loaded 2-core machine.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    public static async Task<T> WithinAsync<T>(Task<T> task, string phase, string expected, Func<string> actual)
    {
        await WithinAsync((Task)task, phase, expected, actual);
        return await task;
    }

    public static async Task WithinAsync(Task task, string phase, string expected, Func<string> actual)
    {
        try
        {
            await task.WaitAsync(Limit);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Phase '{phase}': expected {expected} within {Limit.TotalSeconds:F0} s; actual: {actual()}.", ex);
        }
    }
}
