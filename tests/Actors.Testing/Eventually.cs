namespace Actors.Testing;

/// <summary>
/// Waits for a condition with a deadline whose failure says what was awaited: no fixed sleeps, and a bound generous
/// enough for a loaded machine that only catches a hang.
/// </summary>
public static class Eventually
{
    /// <summary>How often the condition is checked again.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Completes once <paramref name="condition"/> returns true.</summary>
    /// <exception cref="TimeoutException">It did not within <paramref name="timeout"/>; the message names <paramref name="what"/>.</exception>
    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) => TrueAsync(condition, timeout, () => what);

    /// <summary>Completes once <paramref name="condition"/> returns true.</summary>
    /// <exception cref="TimeoutException">It did not within <paramref name="timeout"/>; the message names <paramref name="what"/>,
    /// read when the time is up (so it can say what was seen by then).</exception>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(what);
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout} for: {what()}.");
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }
    }

    /// <summary>The result of <paramref name="task"/>, once it completed.</summary>
    /// <exception cref="TimeoutException">It did not complete within <paramref name="timeout"/>; the message names <paramref name="what"/>.</exception>
    public static async Task<T> WithinAsync<T>(Task<T> task, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException ex) when (!task.IsCompleted)
        {
            throw new TimeoutException($"Waited {timeout} for: {what}.", ex);
        }
    }

    /// <summary>Completes once <paramref name="condition"/> returns true.</summary>
    /// <exception cref="TimeoutException">It did not within <paramref name="timeout"/>; the message names <paramref name="what"/>.</exception>
    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return TrueAsync(() => Task.FromResult(condition()), timeout, what);
    }
}
