using System.Diagnostics;
using Actors.Runtime;
using Actors.Streams;

namespace Actors.StreamingBenchmarks;

/// <summary>A stream item stamped when the producer handed it over (Stopwatch ticks).</summary>
public sealed record Stamped(long ProducedAt);

public interface IBenchSubscriberGrain : IGrainWithStringKey
{
    Task Subscribe(string provider, string streamKey);
}

/// <summary>Subscribes to one stream and records each item's end-to-end latency.</summary>
public sealed class BenchSubscriberGrain(LatencyRecorder recorder) : Grain, IBenchSubscriberGrain, IAsyncObserver<Stamped>
{
    public async Task Subscribe(string provider, string streamKey)
        => await this.GetStreamProvider(provider).GetStream<Stamped>(StreamId.Create("bench", streamKey)).SubscribeAsync(this);

    public Task OnNextAsync(Stamped item, StreamSequenceToken? token = null)
    {
        recorder.Record(Stopwatch.GetTimestamp() - item.ProducedAt);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}

/// <summary>Latencies of delivered items (a silo singleton), and a signal when the expected number arrived.</summary>
public sealed class LatencyRecorder
{
    private readonly object _sync = new();
    private List<long> _ticks = [];
    private long _expected = long.MaxValue;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Record(long ticks)
    {
        lock (_sync)
        {
            _ticks.Add(ticks);
            if (_ticks.Count >= _expected)
            {
                _done.TrySetResult();
            }
        }
    }

    /// <summary>Starts a round: forget earlier latencies; completes the returned task once <paramref name="expected"/> were recorded.</summary>
    public Task Expect(long expected)
    {
        lock (_sync)
        {
            _ticks = [];
            _expected = expected;
            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _done.Task;
        }
    }

    public long[] Snapshot()
    {
        lock (_sync)
        {
            return [.. _ticks];
        }
    }
}
