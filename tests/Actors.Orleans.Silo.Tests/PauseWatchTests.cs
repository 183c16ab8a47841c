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
        var time = new FakeTimeProvider();
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int reads = 0;
        var watch = new PauseWatch(async ct =>
        {
            Interlocked.Increment(ref reads);
            asked.TrySetResult();
            await answer.Task.WaitAsync(ct);
        }, time, NullLogger<PauseWatch>.Instance);
        using var stop = new CancellationTokenSource();
        Task running = watch.WatchAsync(stop.Token);

        time.Advance(TimeSpan.FromSeconds(5));   // the next tick comes 5 s after the previous one: the process was stopped
        await asked.Task.WaitAsync(Generous);
        Assert.Equal(TimeSpan.FromSeconds(5), watch.Unconfirmed);
        Assert.Equal(1, watch.Pauses);

        answer.SetResult();
        await Eventually.TrueAsync(() => watch.Unconfirmed is null, Generous, "the watch to count the pause as confirmed once the membership read answered");
        Assert.Equal(1, Volatile.Read(ref reads));

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task WatchAsync_MembershipReadFails_StaysUnconfirmedAndRetriesAtTheNextTick()
    {
        var time = new FakeTimeProvider();
        var retried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int reads = 0;
        var watch = new PauseWatch(async ct =>
        {
            if (Interlocked.Increment(ref reads) == 1)
            {
                throw new InvalidOperationException("the membership table is unreachable");
            }

            retried.TrySetResult();
            await answer.Task.WaitAsync(ct);
        }, time, NullLogger<PauseWatch>.Instance);
        using var stop = new CancellationTokenSource();
        Task running = watch.WatchAsync(stop.Token);

        time.Advance(TimeSpan.FromSeconds(3));
        await Eventually.TrueAsync(() => Volatile.Read(ref reads) >= 1, Generous, "the first membership read after the pause");
        time.Advance(PauseWatch.Interval);   // the next tick (a tick that comes before the loop waits for it is kept for it)
        await retried.Task.WaitAsync(Generous);
        Assert.Equal(TimeSpan.FromSeconds(3), watch.Unconfirmed);   // the failed read confirmed nothing

        answer.SetResult();
        await Eventually.TrueAsync(() => watch.Unconfirmed is null, Generous, "the retried membership read to confirm the pause");
        Assert.Equal(1, watch.Pauses);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }
}
