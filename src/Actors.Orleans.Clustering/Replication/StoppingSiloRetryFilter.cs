using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// Sends again a grain call that a stopping silo refused unprocessed (Orleans's transient "Silo stopping" rejection),
/// so that a grain calling another grain during a rolling restart does not fail for it.
/// </summary>
/// <remarks>
/// <para>A silo stopping gracefully hands its partitions over and deactivates its grains; a silo that still has the old
/// activation's address in its directory cache then sends the grain's next call to the stopping silo. Until that silo
/// blocks application messages it forwards such a call to the grain's new activation; afterwards Orleans rejects it
/// ("Silo stopping", <c>MessageCenter</c> and <c>SiloConnection</c>) before any grain saw it, with a cache invalidation
/// that sends the next attempt through the directory. Orleans hands the rejection to the caller, and a grain that does
/// not expect it (the second leg of a transfer, after its first leg was written) fails its own caller's call.</para>
/// <para>Safe because the rejection is of this very call: the filter runs on every silo's outgoing grain calls, and a
/// call it gives up on after <see cref="Attempts"/> attempts fails with a <see cref="SiloUnavailableException"/> worded otherwise, so a "Silo stopping" rejection
/// never travels up a call chain as if it were the outer call's own. Calls from clients are not covered (clients run
/// no silo filter).</para>
/// </remarks>
internal sealed partial class StoppingSiloRetryFilter(ILogger<StoppingSiloRetryFilter> logger) : IOutgoingGrainCallFilter
{
    /// <summary>Attempts of one call before the rejection is passed on (reworded).</summary>
    public const int Attempts = 4;

    /// <summary>The rejection's text, as Orleans 10 words it.</summary>
    public const string SiloStopping = "Silo stopping";

    /// <summary>The pause before the second attempt, doubled for each next one.</summary>
    public static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(20);

    /// <summary>Whether <paramref name="exception"/> is Orleans's rejection of a call by a stopping silo.</summary>
    public static bool IsSiloStopping(Exception? exception) =>
        exception is OrleansMessageRejectionException rejection && rejection.Message.StartsWith(SiloStopping, StringComparison.Ordinal);

    /// <inheritdoc />
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        TimeSpan pause = FirstPause;
        for (int attempt = 1; ; attempt++)
        {
            await context.Invoke().ConfigureAwait(false);
            if (!IsSiloStopping(context.Response?.Exception))
            {
                return;
            }

            if (attempt == Attempts)
            {
                LogGaveUp(context.TargetId, context.MethodName, Attempts);
                context.Response = Response.FromException(new SiloUnavailableException(
                    $"The call {context.MethodName} to {context.TargetId} was refused unprocessed by stopping silos {Attempts} times " +
                    $"(Orleans's \"{SiloStopping}\" rejection); not sent again"));
                return;
            }

            LogRetry(context.TargetId, context.MethodName, attempt);
            await Task.Delay(pause).ConfigureAwait(false);
            pause *= 2;
        }
    }

    [LoggerMessage(EventId = 54, Level = LogLevel.Information, Message = "A stopping silo refused the call {Method} to {Grain} unprocessed (attempt {Attempt}); sending it again")]
    private partial void LogRetry(GrainId grain, string? method, int attempt);

    [LoggerMessage(EventId = 55, Level = LogLevel.Warning, Message = "Stopping silos refused the call {Method} to {Grain} unprocessed {Attempts} times; passing the rejection on")]
    private partial void LogGaveUp(GrainId grain, string? method, int attempts);
}
