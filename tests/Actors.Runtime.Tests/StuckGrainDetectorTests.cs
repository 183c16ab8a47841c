using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Actors.Runtime.Tests;

public sealed class StuckGrainDetectorTests
{
    private readonly Probe _probe = new();
    private readonly ManualTimeProvider _time = new();
    private readonly CapturingLoggerProvider _logs = new();

    private TestSilo StartSilo() => TestSilo.Start(
        s => s.AddGrain<TurnGrain>().AddGrain<SlowStartGrain>(),
        settings =>
        {
            settings.ResponseTimeout = TimeSpan.FromMinutes(5);
            settings.StuckCallThreshold = TimeSpan.FromSeconds(5);
        },
        _time,
        services => services.AddSingleton(_probe).AddLogging(b => b.AddProvider(_logs)));

    [Fact]
    public async Task Detector_TurnAndQueuedCallMakeNoProgress_BothReportedThenClearedWhenTheyFinish()
    {
        await using TestSilo silo = StartSilo();
        IStuckGrainMonitor monitor = silo.Services.GetRequiredService<IStuckGrainMonitor>();
        ITurnGrain grain = silo.Factory.GetGrain<ITurnGrain>("wedged");
        Task running = grain.Blocked("a");
        await _probe.WaitForAsync("start:a");
        Task queued = grain.Blocked("b");
        Assert.True(silo.Runtime.Catalog.TryGet(grain.GetGrainId(), out ActivationData activation));
        await Probe.WaitUntilAsync(() => activation.QueueLength == 1, "the second call to queue");

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Empty(monitor.GetStuckCalls());
        _time.Advance(TimeSpan.FromSeconds(2));

        StuckGrainCall[] stuck = [.. monitor.GetStuckCalls().OrderBy(c => c.IsRunning)];
        Assert.Equal(2, stuck.Length);
        Assert.Equal((grain.GetGrainId(), "ITurnGrain.Blocked", false), (stuck[0].GrainId, stuck[0].Method, stuck[0].IsRunning));
        Assert.Equal((grain.GetGrainId(), "ITurnGrain.Blocked", true), (stuck[1].GrainId, stuck[1].Method, stuck[1].IsRunning));
        Assert.All(stuck, c => Assert.True(c.Duration >= TimeSpan.FromSeconds(5), $"reported after {c.Duration}"));
        Assert.Equal(2, monitor.Detections);
        Assert.Contains(_logs.Entries, e => e.Event.Id == 112 && e.Message.Contains("turn/wedged", StringComparison.Ordinal) && e.Message.Contains("ITurnGrain.Blocked", StringComparison.Ordinal));
        Assert.Contains(_logs.Entries, e => e.Event.Id == 113 && e.Message.Contains("turn/wedged", StringComparison.Ordinal));

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, monitor.Detections);
        _probe.Gate("a").SetResult();
        _probe.Gate("b").SetResult();
        await Task.WhenAll(running, queued);
        Assert.Empty(monitor.GetStuckCalls());
    }

    [Fact]
    public async Task Detector_ActivationNeverFinishesActivating_QueuedCallReportedAsNotProgressing()
    {
        await using TestSilo silo = StartSilo();
        IStuckGrainMonitor monitor = silo.Services.GetRequiredService<IStuckGrainMonitor>();
        Task<string> call = silo.Factory.GetGrain<ISlowStartGrain>("never").Hello();
        await _probe.WaitForAsync("activating");

        _time.Advance(TimeSpan.FromSeconds(6));

        StuckGrainCall stuck = Assert.Single(monitor.GetStuckCalls());
        Assert.False(stuck.IsRunning);
        Assert.Equal("ISlowStartGrain.Hello", stuck.Method);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.Event.Id == 114 && e.Message.Contains("slowstart/never", StringComparison.Ordinal));
        _probe.Gate("activate").SetResult();
        Assert.Equal("hello", await call);
        Assert.Empty(monitor.GetStuckCalls());
    }

    [Fact]
    public async Task Detector_CallsFinishBeforeThreshold_NothingReported()
    {
        await using TestSilo silo = StartSilo();
        IStuckGrainMonitor monitor = silo.Services.GetRequiredService<IStuckGrainMonitor>();
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => silo.Factory.GetGrain<ITurnGrain>($"quick{i % 5}").Work(2)));

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(monitor.GetStuckCalls());
        Assert.Equal(0, monitor.Detections);
        Assert.Equal(0, silo.Runtime.OutstandingCalls.Count);
    }
}
