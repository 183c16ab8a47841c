namespace Actors.Orleans.ClientDemo.Workload;

/// <summary>
/// When each grain answered calls: for each answered call, the wall-clock times (Unix milliseconds, so a script on the
/// same machine can compare them with the moment it killed a silo) at which it was sent and answered, kept for
/// <see cref="Window"/>.
/// </summary>
/// <remarks>Thread-safe. "Answered" means a success or a rejection with nothing changed: the grain served the call.</remarks>
public sealed class GrainTimeline
{
    /// <summary>How long answers are kept.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(2);
    private readonly Dictionary<string, Queue<(long Sent, long Answered)>> _answers = new(StringComparer.Ordinal);

    /// <summary>The current wall-clock time in Unix milliseconds.</summary>
    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Records that a call to <paramref name="grain"/> sent at <paramref name="sentAt"/> (Unix ms) was answered now; returns now.</summary>
    public long Answered(string grain, long sentAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(grain);
        long now = Now();
        long oldest = now - (long)Window.TotalMilliseconds;
        lock (_answers)
        {
            if (!_answers.TryGetValue(grain, out Queue<(long Sent, long Answered)>? times))
            {
                _answers[grain] = times = new Queue<(long Sent, long Answered)>();
            }

            times.Enqueue((sentAt, now));
            while (times.Count > 0 && times.Peek().Sent < oldest)
            {
                times.Dequeue();
            }
        }

        return now;
    }

    /// <summary>
    /// When the first call to <paramref name="grain"/> sent at or after <paramref name="since"/> (Unix ms) was answered
    /// (Unix ms), or null when none was yet. A call sent before <paramref name="since"/> does not count, even if its
    /// answer came later: it may have been served before the moment of interest.
    /// </summary>
    public long? FirstAnsweredSince(string grain, long since)
    {
        lock (_answers)
        {
            long? first = null;
            if (_answers.TryGetValue(grain, out Queue<(long Sent, long Answered)>? times))
            {
                foreach ((long sent, long answered) in times)
                {
                    if (sent >= since && (first is null || answered < first))
                    {
                        first = answered;
                    }
                }
            }

            return first;
        }
    }
}
