using Actors.Hosting;
using Actors.Invocation;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;

namespace Actors.Runtime.Tests;

/// <summary>The outstanding-call tracker's timing wheel: calls come out when due (never early, late by at most one resolution).</summary>
public sealed class CallTrackerTests : IAsyncLifetime
{
    private static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(100);
    private static readonly long Start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
    private TestSilo? _silo;

    public Task InitializeAsync()
    {
        _silo = TestSilo.Start(s => s.AddGrain<CounterGrain>());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _silo!.DisposeAsync();

    [Fact]
    public void TakeDue_CallsDueAtDifferentTimes_EachComesOutAtItsTickNotBefore()
    {
        var tracker = new CallTracker(Resolution, TimeSpan.FromSeconds(2), Start);
        GrainCall soon = NewCall();
        GrainCall later = NewCall();
        tracker.Track(soon, Start + Ms(250));
        tracker.Track(later, Start + Ms(1_050));

        Assert.Empty(TakeDue(tracker, Start + Ms(249)));
        Assert.Equal([soon], TakeDue(tracker, Start + Ms(300)));
        Assert.Empty(TakeDue(tracker, Start + Ms(1_000)));
        Assert.Equal([later], TakeDue(tracker, Start + Ms(1_100)));
        Assert.Equal(0, tracker.Count);
    }

    [Fact]
    public void TakeDue_CallDueBeyondOneTurnOfTheWheel_StaysUntilItsTime()
    {
        var tracker = new CallTracker(Resolution, TimeSpan.FromSeconds(1), Start);
        GrainCall far = NewCall();
        tracker.Track(far, Start + Ms(60_000));

        for (int step = 1; step < 600; step++)
        {
            Assert.Empty(TakeDue(tracker, Start + Ms(step * 100)));
        }

        Assert.Equal([far], TakeDue(tracker, Start + Ms(60_000)));
    }

    [Fact]
    public void TakeDue_AfterALongGap_ReturnsEverythingDueOnce()
    {
        var tracker = new CallTracker(Resolution, TimeSpan.FromSeconds(1), Start);
        GrainCall[] calls = [.. Enumerable.Range(0, 50).Select(_ => NewCall())];
        for (int i = 0; i < calls.Length; i++)
        {
            tracker.Track(calls[i], Start + Ms(i * 137));
        }

        Assert.Equal(calls.Length, TakeDue(tracker, Start + Ms(3_600_000)).Count);
        Assert.Equal(0, tracker.Count);
    }

    [Fact]
    public void Untrack_TrackedCall_NeverComesOut()
    {
        var tracker = new CallTracker(Resolution, TimeSpan.FromSeconds(1), Start);
        GrainCall kept = NewCall();
        GrainCall removed = NewCall();
        tracker.Track(kept, Start + Ms(100));
        tracker.Track(removed, Start + Ms(100));

        Assert.True(tracker.Untrack(removed));
        Assert.False(tracker.Untrack(removed));
        Assert.Equal([kept], TakeDue(tracker, Start + Ms(200)));
    }

    [Fact]
    public void Track_CallDueInAnAlreadyVisitedTick_ComesOutAtTheNextTick()
    {
        var tracker = new CallTracker(Resolution, TimeSpan.FromSeconds(1), Start);
        Assert.Empty(TakeDue(tracker, Start + Ms(500)));
        GrainCall overdue = NewCall();

        tracker.Track(overdue, Start + Ms(200));

        Assert.Empty(TakeDue(tracker, Start + Ms(510)));
        Assert.Equal([overdue], TakeDue(tracker, Start + Ms(600)));
    }

    private static long Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds).Ticks;

    private static List<GrainCall> TakeDue(CallTracker tracker, long now)
    {
        var due = new List<GrainCall>();
        tracker.TakeDue(now, due);
        return due;
    }

    private GrainCall NewCall()
    {
        GrainRuntime runtime = _silo!.Runtime;
        var method = GrainMethod.For(typeof(ICounterGrain).GetMethod(nameof(ICounterGrain.Increment))!);
        var target = new GrainId("counter", "t");
        return new GrainCall(runtime, new GrainCallRequest(target, method, []), [], target, runtime.Types.Classes.Single(), Start);
    }
}
