using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

/// <summary>RequestContext flow and grain call filters inside a silo, against Orleans's documented semantics.</summary>
public sealed class FilterAndContextTests
{
    private readonly Probe _probe = new();

    [Fact]
    public async Task RequestContext_ThreeHops_EachHopSeesWhatItsCallerHad_AndNothingFlowsBackToTheCaller()
    {
        await using TestSilo silo = Start();
        RequestContext.Set("trace", "t-1");
        try
        {
            HopReport[] hops = await silo.Factory.GetGrain<IHopGrain>("a").Relay(["b", "c"]);

            Assert.Equal(
                [new HopReport("a", "t-1", null, null), new HopReport("b", "t-1", "a", "a"), new HopReport("c", "t-1", "a", "b")],
                hops);
            Assert.Null(RequestContext.Get("back"));
            Assert.Null(RequestContext.Get("added-by"));
            Assert.Equal("t-1", RequestContext.Get("trace"));
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    [Fact]
    public async Task RequestContext_NothingSet_CalleeSeesNothing_EvenAfterAnEarlierCallCarriedValues()
    {
        await using TestSilo silo = Start();
        IHopGrain grain = silo.Factory.GetGrain<IHopGrain>("n");
        await Task.Run(async () =>
        {
            RequestContext.Set("trace", "earlier");
            Assert.Equal("earlier", await grain.ReadTrace());
        });

        Assert.Null(await grain.ReadTrace());
    }

    [Fact]
    public async Task RequestContext_MutableValue_IsCopiedForTheCallee()
    {
        await using TestSilo silo = Start();
        var list = new List<string> { "caller" };
        RequestContext.Set("list", list);
        try
        {
            Assert.Equal(2, await silo.Factory.GetGrain<IHopGrain>("m").MutateList([]));
            Assert.Equal(["caller"], list);
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    [Fact]
    public async Task TimerTick_RegisteredDuringACallWithContext_RunsWithAnEmptyContext()
    {
        var time = new ManualTimeProvider();
        await using TestSilo silo = Start(time: time);
        RequestContext.Set("trace", "registering-call");
        try
        {
            await silo.Factory.GetGrain<IHopGrain>("t").StartTimer();
        }
        finally
        {
            RequestContext.Clear();
        }

        time.Advance(TimeSpan.Zero);
        await _probe.WaitForAsync("tick-trace:none");
    }

    [Fact]
    public async Task IncomingFilters_SiloWideInOrderThenGrainLevel_CanRewriteArgumentsAndResult()
    {
        await using TestSilo silo = Start(s => s
            .AddIncomingGrainCallFilter(async context =>
            {
                _probe.Record($"first:{context.InterfaceName}.{context.MethodName}");
                if (context.MethodName == nameof(IGuardedGrain.Add))
                {
                    context.Request.SetArgument(0, 100);
                }

                await context.Invoke();
            })
            .AddIncomingGrainCallFilter(async context =>
            {
                _probe.Record($"second:{context.TargetId}:{context.TargetContext.GrainId}");
                await context.Invoke();
                if (context.Result is int sum)
                {
                    context.Result = sum * 2;
                }
            }));
        IGuardedGrain grain = silo.Factory.GetGrain<IGuardedGrain>("g");

        Assert.Equal(2 * (100 + 2), await grain.Add(1, 2));
        Assert.Equal("refused", await grain.Secret());

        Assert.Equal(
        [
            $"first:{typeof(IGuardedGrain).FullName}.Add", "second:guarded/g:guarded/g", "grain-filter:Add:GuardedGrain",
            $"first:{typeof(IGuardedGrain).FullName}.Secret", "second:guarded/g:guarded/g", "grain-filter:Secret:GuardedGrain",
        ], _probe.Events);
    }

    [Fact]
    public async Task IncomingFilter_CallThrows_FilterSeesTheExceptionAndTheCallerGetsIt()
    {
        await using TestSilo silo = Start(s => s.AddIncomingGrainCallFilter(async context =>
        {
            try
            {
                await context.Invoke();
            }
            catch (InvalidOperationException ex)
            {
                _probe.Record($"saw:{ex.Message}");
                throw;
            }
        }));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Factory.GetGrain<IHopGrain>("f").Fail());

        Assert.Equal("failed on purpose", error.Message);
        Assert.Equal(["saw:failed on purpose"], _probe.Events);
    }

    [Fact]
    public async Task IncomingFilter_InvokeCalledTwice_RunsTheCallTwice()
    {
        int calls = 0;
        await using TestSilo silo = Start(s => s.AddIncomingGrainCallFilter(async context =>
        {
            await context.Invoke();
            await context.Invoke();
            calls++;
        }));

        Assert.Equal(3, await silo.Factory.GetGrain<IHopGrain>("twice").Add(1, 2));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task IncomingFilter_TimerTick_PassesThroughAsInvokeCallbackAsync()
    {
        var time = new ManualTimeProvider();
        await using TestSilo silo = Start(s => s.AddIncomingGrainCallFilter(async context =>
        {
            _probe.Record($"filter:{context.MethodName}");
            await context.Invoke();
        }), time);

        await silo.Factory.GetGrain<IHopGrain>("tick").StartTimer();
        time.Advance(TimeSpan.Zero);
        await _probe.WaitForAsync("tick-trace:none");

        Assert.Equal(["filter:StartTimer", "filter:InvokeCallbackAsync", "tick-trace:none"], _probe.Events);
    }

    [Fact]
    public async Task OutgoingFilter_GrainToGrainCall_SeesTheCallerAndItsContextValuesReachTheCallee()
    {
        await using TestSilo silo = Start(s => s.AddOutgoingGrainCallFilter(async context =>
        {
            _probe.Record($"out:{context.SourceId?.ToString() ?? "outside"}->{context.TargetId}:{context.SourceContext?.GrainId.ToString() ?? "none"}");
            RequestContext.Set("trace", "from-filter");
            await context.Invoke();
        }));

        HopReport[] hops = await silo.Factory.GetGrain<IHopGrain>("x").Relay(["y"]);

        Assert.Equal(["out:outside->hop/x:none", "out:hop/x->hop/y:hop/x"], _probe.Events);
        Assert.Equal(["from-filter", "from-filter"], hops.Select(h => h.Trace));
        Assert.Null(RequestContext.Get("trace"));
    }

    private TestSilo Start(Action<ISiloBuilder>? configure = null, TimeProvider? time = null) => TestSilo.Start(
        s =>
        {
            s.AddGrain<HopGrain>().AddGrain<GuardedGrain>();
            configure?.Invoke(s);
        },
        timeProvider: time,
        services: services => services.AddSingleton(_probe));
}
