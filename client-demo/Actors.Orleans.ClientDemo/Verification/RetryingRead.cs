using Actors.Orleans.ClientDemo.Workload;

namespace Actors.Orleans.ClientDemo.Verification;

/// <summary>
/// One read of the verification, sent again while it fails with an error that says the call may be sent again: the
/// partition's leader moving or not serving here yet (<c>WriteAheadLogUnavailableException</c>), a stopping silo's
/// refusal, a lost connection or answer (<see cref="CallRunner.IsLostAnswer"/>). A read changes nothing the ledger
/// tracks (<see cref="Cluster.GrainProbe"/>), so sending it again is safe. Any other error fails at once; a retryable
/// one still failing at the deadline fails with <see cref="VerificationReadException"/> naming the read, the attempts
/// and the last error. What the read returns is judged by the verifier as before: a retry never hides a lost, extra or
/// duplicated acknowledged write.
/// </summary>
public static class RetryingRead
{
    /// <summary>How long one read may be sent again.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>The pause between two sends, growing with each attempt up to <see cref="MaxPause"/>.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest pause between two sends.</summary>
    public static readonly TimeSpan MaxPause = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether <paramref name="exception"/> allows the read to be sent again.</summary>
    public static bool IsRetryable(Exception exception) =>
        CallRunner.IsLostAnswer(exception) || CallRunner.IsRefusedByStoppingSilo(exception);

    /// <summary>Reads through <paramref name="read"/> until it answers, a non-retryable error, or the deadline.</summary>
    /// <param name="what">The read, for the error: "account a-3 GetBalance".</param>
    /// <param name="read">Sends the read once.</param>
    /// <param name="retried">Counts each failed send that is sent again, or null.</param>
    /// <param name="cancellationToken">Cancels the waiting.</param>
    /// <exception cref="VerificationReadException">A retryable error still at the deadline.</exception>
    public static async Task<T> ReadAsync<T>(string what, Func<Task<T>> read, Action<Exception>? retried, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        long deadline = Environment.TickCount64 + (long)Deadline.TotalMilliseconds;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await read();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && IsRetryable(ex) && !cancellationToken.IsCancellationRequested)
            {
                if (Environment.TickCount64 >= deadline)
                {
                    throw new VerificationReadException(
                        $"{what} still failed with a retryable error after {attempt} attempts in {Deadline.TotalSeconds:F0} s: {ex.GetType().Name}: {ex.Message}", ex);
                }

                retried?.Invoke(ex);
                await Task.Delay(TimeSpan.FromTicks(Math.Min(MaxPause.Ticks, Pause.Ticks * attempt)), cancellationToken);
            }
        }
    }
}
