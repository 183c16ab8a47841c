using Actors.Streams;

namespace Actors.Streaming.Tests.Support;

/// <summary>One thing a test subscriber saw.</summary>
public sealed record Delivery(string Subscriber, string Stream, long SequenceNumber, string What);

/// <summary>Collects what test subscribers saw (a silo singleton) and lets tests wait for it without sleeping.</summary>
public sealed class DeliveryRecorder
{
    private readonly object _sync = new();
    private readonly List<Delivery> _deliveries = [];
    private TaskCompletionSource _changed = NewSignal();

    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);

    public void Record(string subscriber, string stream, StreamSequenceToken? token, string what)
    {
        lock (_sync)
        {
            _deliveries.Add(new Delivery(subscriber, stream, token?.SequenceNumber ?? -1, what));
            _changed.TrySetResult();
            _changed = NewSignal();
        }
    }

    public IReadOnlyList<Delivery> Of(string subscriber)
    {
        lock (_sync)
        {
            return [.. _deliveries.Where(d => d.Subscriber == subscriber)];
        }
    }

    /// <summary>Waits until <paramref name="done"/> holds for <paramref name="subscriber"/>'s deliveries; the timeout message says what was seen.</summary>
    public async Task<IReadOnlyList<Delivery>> WaitForAsync(string subscriber, Func<IReadOnlyList<Delivery>, bool> done, string expectation)
    {
        using var timeout = new CancellationTokenSource(WaitLimit);
        while (true)
        {
            Task changed;
            IReadOnlyList<Delivery> seen;
            lock (_sync)
            {
                seen = [.. _deliveries.Where(d => d.Subscriber == subscriber)];
                changed = _changed.Task;
            }

            if (done(seen))
            {
                return seen;
            }

            try
            {
                await changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"Waited {WaitLimit} for subscriber '{subscriber}' to see {expectation}; it saw {seen.Count}: {string.Join(", ", seen.TakeLast(20).Select(d => $"{d.SequenceNumber}:{d.What}"))}");
            }
        }
    }

    /// <summary>Waits until <paramref name="subscriber"/> saw items with every sequence number from 1 to <paramref name="last"/>.</summary>
    public Task<IReadOnlyList<Delivery>> WaitForSequenceAsync(string subscriber, long last)
        => WaitForAsync(subscriber, seen => seen.Where(d => d.What.StartsWith("item:", StringComparison.Ordinal)).Select(d => d.SequenceNumber).Distinct().Count() >= last && seen.Any(d => d.SequenceNumber == last), $"items 1..{last}");

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
