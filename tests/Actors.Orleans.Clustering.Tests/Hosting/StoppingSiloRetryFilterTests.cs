using System.Reflection;
using Actors.Orleans.Clustering.Replication;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;

namespace Actors.Orleans.Clustering.Tests.Hosting;

/// <summary>A grain call refused unprocessed by a stopping silo is sent again; nothing else is.</summary>
public sealed class StoppingSiloRetryFilterTests
{
    [Fact]
    public async Task Invoke_RejectedTwiceBySilosStopping_SentAgainUntilAnswered()
    {
        var context = new ScriptedCallContext(Rejection("Silo stopping"), Rejection("Silo stopping"), null);
        await new StoppingSiloRetryFilter(NullLogger<StoppingSiloRetryFilter>.Instance).Invoke(context);
        Assert.Equal(3, context.Sends);
        Assert.Null(context.Response!.Exception);
    }

    [Fact]
    public async Task Invoke_RejectedEveryTime_GivesUpAfterTheAttemptsWithAnErrorAnOuterFilterDoesNotRetry()
    {
        var context = new ScriptedCallContext([.. Enumerable.Repeat(Rejection("Silo stopping"), StoppingSiloRetryFilter.Attempts + 1)]);
        await new StoppingSiloRetryFilter(NullLogger<StoppingSiloRetryFilter>.Instance).Invoke(context);
        Assert.Equal(StoppingSiloRetryFilter.Attempts, context.Sends);
        var failure = Assert.IsType<SiloUnavailableException>(context.Response!.Exception);
        Assert.Contains("refused unprocessed by stopping silos", failure.Message, StringComparison.Ordinal);
        Assert.False(StoppingSiloRetryFilter.IsSiloStopping(failure));   // a caller's filter up the chain passes it on
    }

    [Fact]
    public async Task Invoke_OtherRejectionOrError_NotSentAgain()
    {
        foreach (Exception error in new Exception[] { Rejection("Forwarding failed: tried to forward message"), new SiloUnavailableException("The target silo became unavailable"), new InvalidOperationException("grain error") })
        {
            var context = new ScriptedCallContext(error, null);
            await new StoppingSiloRetryFilter(NullLogger<StoppingSiloRetryFilter>.Instance).Invoke(context);
            Assert.Equal(1, context.Sends);
            Assert.Same(error, context.Response!.Exception);
        }
    }

    /// <summary>Orleans's own rejection exception (its constructors are internal: the runtime makes it from a rejection response).</summary>
    private static OrleansMessageRejectionException Rejection(string text) =>
        (OrleansMessageRejectionException)Activator.CreateInstance(typeof(OrleansMessageRejectionException), BindingFlags.Instance | BindingFlags.NonPublic, null, [text], null)!;

    /// <summary>An outgoing call whose sends answer the scripted errors in turn (null: an answer).</summary>
    private sealed class ScriptedCallContext(params Exception?[] outcomes) : IOutgoingGrainCallContext
    {
        public int Sends { get; private set; }

        public Response? Response { get; set; }

        public object? Result { get; set; }

        public Task Invoke()
        {
            Exception? outcome = outcomes[Sends++];
            Response = outcome is null ? Response.FromResult(42) : Response.FromException(outcome);
            return Task.CompletedTask;
        }

        public IGrainContext? SourceContext => null;

        public IInvokable Request => throw new NotSupportedException();

        public object Grain => throw new NotSupportedException();

        public GrainId? SourceId => null;

        public GrainId TargetId => GrainId.Create("account", "a");

        public GrainInterfaceType InterfaceType => default;

        public string InterfaceName => "IAccountGrain";

        public string MethodName => "Credit";

        public MethodInfo InterfaceMethod => throw new NotSupportedException();
    }
}
