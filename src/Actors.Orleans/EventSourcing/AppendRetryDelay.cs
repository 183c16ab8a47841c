using Actors.Orleans.Log;
using Actors.Orleans.Storage;
using Actors.Wal;

namespace Actors.Orleans.EventSourcing;

/// <summary>
/// Orleans's growing retry delay before an append of a journaled grain's events that the log refused or failed is tried
/// again, cut short when the silo is stopping.
/// </summary>
internal static class AppendRetryDelay
{
    /// <summary>
    /// Waits <paramref name="retryDelay"/> (Orleans's delay for the recorded connection issue). When the silo's log itself
    /// refused or failed the append (a <see cref="WalException"/>: a full device, a failed log, which only space or a
    /// restart mends), the delay is cut short once the silo is about to deactivate its grains to stop
    /// (<see cref="SiloLog.GrainsStopping"/>): then the append is not retried, and the provider's error (naming the cause,
    /// and how much of the batch was stored) fails the write cycle, so <c>ConfirmEvents</c> throws (Orleans wraps it in its
    /// protocol error) and the grain can deactivate. Retrying would hold the grain's deactivation, and the silo's graceful
    /// stop, until Orleans's 30 s deactivation timeout. Other errors (a cluster's retryable ones) keep Orleans's retries.
    /// </summary>
    /// <param name="settings">The grain's journal.</param>
    /// <param name="retryDelay">Orleans's delay before the retry.</param>
    /// <param name="failure">What the append failed with.</param>
    /// <param name="written">How many events of the batch earlier appends of this write cycle stored.</param>
    /// <param name="total">The batch's events.</param>
    /// <exception cref="WriteAheadLogOperationException">The silo is stopping: the append is not retried (a refusal that
    /// stored nothing when nothing of the batch was stored and the log refused, else of unknown outcome).</exception>
    public static async Task WaitAsync(JournalSettings settings, TimeSpan retryDelay, Exception failure, int written, int total)
    {
        CancellationToken stopping = failure is WalException ? settings.Log.GrainsStopping : CancellationToken.None;
        if (!stopping.IsCancellationRequested)
        {
            await Task.Delay(retryDelay, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (stopping.IsCancellationRequested)
        {
            string operation = written == 0
                ? $"Appending {settings.What} (not retried: the silo is stopping)"
                : $"Appending {settings.What} (not retried: the silo is stopping; {written} of the batch's {total} events were stored before)";
            throw LogErrors.Translate(failure, operation, settings.StreamId) is WriteAheadLogOperationException { OutcomeUnknown: false } refused && written == 0
                ? refused
                : new WriteAheadLogOperationException(operation, settings.StreamId, outcomeUnknown: true, failure);
        }
    }
}
