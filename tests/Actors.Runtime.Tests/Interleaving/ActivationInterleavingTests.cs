using Actors.Hosting;
using Actors.Invocation;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Actors.Runtime.Tests.Interleaving;

/// <summary>
/// The runtime's request path explored systematically on real code: callers on model threads invoke a grain through
/// the silo's invoker; activation, admission, the run queue, the grain's awaits, the caller's completion and the
/// response-timeout check interleave at their interleaving points. Every execution gets a fresh silo on its own manual
/// clock, so no timer fires on its own, every thread that touches the runtime is a model thread, and each execution
/// replays identically.
/// </summary>
public sealed class ActivationInterleavingTests(ITestOutputHelper output) : IAsyncDisposable
{
    private static readonly GrainMethod Work = GrainMethod.For(typeof(IExploredGrain).GetMethod(nameof(IExploredGrain.Work))!);
    private static readonly GrainId Grain = new("explored", "e");
    private ManualTimeProvider _time = new();
    private TestSilo? _silo;

    private TestSilo Silo => _silo!;

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    [Fact]
    public void Invoke_TwoCallersFirstCallActivates_BothCompleteTurnsNeverOverlap()
    {
        ExplorationResult result = InterleavingExplorer.Explore(run =>
        {
            NewSilo();
            GrainId grain = Grain;
            var calls = new ValueTask<object?>[2];
            run.Spawn("caller-1", () => calls[0] = Invoke(grain));
            run.Spawn("caller-2", () => calls[1] = Invoke(grain));
            run.AtEnd(() =>
            {
                run.Check(calls.All(c => c.IsCompletedSuccessfully), $"calls ended as {Describe(calls)}");
                run.Check(calls.All(c => c.IsCompletedSuccessfully) && calls.Select(c => (int)c.Result!).Order().SequenceEqual([1, 2]), $"results {Describe(calls)}");
                run.Check(Silo.Runtime.OutstandingCalls.Count == 0, $"{Silo.Runtime.OutstandingCalls.Count} calls still tracked");
            });
        }, preemptionBound: ExplorationBounds.Preemptions(2), maxExecutions: ExplorationBounds.MaxExecutions);
        result.AssertExhaustiveWithoutViolation(output);
    }

    [Fact]
    public void Invoke_DeadlinePassesWhileCallRuns_CallerGetsOneOutcomeAndNothingStaysTracked()
    {
        ExplorationResult result = InterleavingExplorer.Explore(run =>
        {
            NewSilo();
            GrainId grain = Grain;
            ValueTask<object?> call = default;
            run.Spawn("caller", () => call = Invoke(grain));
            run.Spawn("clock", () => _time.Advance(TimeSpan.FromSeconds(11)));
            run.AtEnd(() =>
            {
                run.Check(call.IsCompleted, "the call never completed");
                Exception? error = call.IsFaulted ? call.AsTask().Exception!.InnerException : null;
                run.Check(call.IsCompletedSuccessfully || error is TimeoutException, $"the call ended with {error}");
                run.Check(Silo.Runtime.OutstandingCalls.Count == 0, $"{Silo.Runtime.OutstandingCalls.Count} calls still tracked");
                run.Check(Silo.Runtime.OutstandingCalls.StuckCount == 0, "a finished call is still reported stuck");
            });
        }, preemptionBound: ExplorationBounds.Preemptions(2), maxExecutions: ExplorationBounds.MaxExecutions);
        result.AssertExhaustiveWithoutViolation(output);
    }

    private ValueTask<object?> Invoke(GrainId grain)
        => Silo.Services.GetRequiredService<IGrainCallInvoker>().InvokeAsync(new GrainCallRequest(grain, Work, []));

    /// <summary>Replaces the previous execution's silo (on the explorer's thread, before any model thread runs).</summary>
    private void NewSilo()
    {
        _silo?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _time = new ManualTimeProvider();
        _silo = TestSilo.Start(s => s.AddGrain<ExploredGrain>(), settings => settings.ResponseTimeout = TimeSpan.FromSeconds(10), _time);
    }

    private static string Describe(ValueTask<object?>[] calls)
        => string.Join(", ", calls.Select(c => !c.IsCompleted ? "pending" : c.IsCompletedSuccessfully ? $"ok {c.Result}" : "failed"));
}
