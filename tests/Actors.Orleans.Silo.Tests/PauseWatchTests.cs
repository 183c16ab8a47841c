using Actors.Orleans.Silo.Health;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Actors.Orleans.Silo.Tests;

/// <summary>The stale-silo watch of the host's /health: a pause of the process makes it read Orleans's membership again.</summary>
public sealed class PauseWatchTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WatchAsync_ProcessDidNotRunPastThreshold_ReadsMembershipAndIsUnconfirmedUntilItAnswered()
    {
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int reads = 0;
        await using var run = WatchRun.Start(async ct =>
        {
            Interlocked.Increment(ref reads);
            asked.TrySetResult();
            await answer.Task.WaitAsync(ct);
        });
        var (time, watch) = (run.Time, run.Watch);

        time.Advance(TimeSpan.FromSeconds(5));   // the next tick comes 5 s after the previous one: the process was stopped
        await asked.Task.WaitAsync(Generous);
        Assert.Equal(TimeSpan.FromSeconds(5), watch.Unconfirmed);
        Assert.Equal(1, watch.Pauses);

        answer.SetResult();
        await Eventually.TrueAsync(() => watch.Unconfirmed is null, Generous, "the watch to count the pause as confirmed once the membership read answered");
        Assert.Equal(1, Volatile.Read(ref reads));

        await run.StopAsync();
    }

    [Fact]
    public async Task WatchAsync_MembershipReadFails_StaysUnconfirmedAndRetriesAtTheNextTick()
    {
        var retried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int reads = 0;
        await using var run = WatchRun.Start(async ct =>
        {
            if (Interlocked.Increment(ref reads) == 1)
            {
                throw new InvalidOperationException("the membership table is unreachable");
            }

            retried.TrySetResult();
            await answer.Task.WaitAsync(ct);
        });
        var (time, watch) = (run.Time, run.Watch);

        time.Advance(TimeSpan.FromSeconds(3));
        await Eventually.TrueAsync(() => Volatile.Read(ref reads) >= 1, Generous, "the first membership read after the pause");
        time.Advance(PauseWatch.Interval);   // the next tick (a tick that comes before the loop waits for it is kept for it)
        await retried.Task.WaitAsync(Generous);
        Assert.Equal(TimeSpan.FromSeconds(3), watch.Unconfirmed);   // the failed read confirmed nothing

        answer.SetResult();
        await Eventually.TrueAsync(() => watch.Unconfirmed is null, Generous, "the retried membership read to confirm the pause");
        Assert.Equal(1, watch.Pauses);
        await run.StopAsync();
    }

    /// <summary>A watch on fake time over <c>read</c> (its membership read), running until <see cref="StopAsync"/>.</summary>
    private sealed class WatchRun : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        private WatchRun(Func<CancellationToken, Task> read)
        {
            Watch = new PauseWatch(read, Time, NullLogger<PauseWatch>.Instance);
            Running = Watch.WatchAsync(_stop.Token);
        }

        public FakeTimeProvider Time { get; } = new();

        public PauseWatch Watch { get; }

        public Task Running { get; }

        public static WatchRun Start(Func<CancellationToken, Task> read) => new(read);

        /// <summary>Stops the watch and asserts that it ended by the cancellation, not by a fault of its own.</summary>
        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Running);
        }

        /// <summary>Stops a watch a failed assertion left running (its outcome was reported by the assertion).</summary>
        public async ValueTask DisposeAsync()
        {
            if (!Running.IsCompleted)
            {
                await _stop.CancelAsync();
                await Running.ContinueWith(_ => { }, TaskScheduler.Default);
            }

            _stop.Dispose();
        }
    }
}
