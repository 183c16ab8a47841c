using System.Globalization;

namespace Actors.Orleans.ClientDemo.Cluster;

/// <summary>
/// The commands of the cluster mode, one a line on standard input, each answered by <c>CLUSTER ...</c> lines:
/// <list type="bullet">
/// <item><c>acks N</c>: waits until N more calls are acknowledged; answers <c>acks acknowledged=.. unanswered=.. rejected=.. parked=..</c>.</item>
/// <item><c>status</c>: the same counters at once, as <c>status ...</c>, after one <c>unanswered ...</c> line for
/// each call that ended without an answer since the last <c>status</c> or <c>verify</c> (the call, when, its error).</item>
/// <item><c>failover T grain...</c>: for each grain, the time from T (Unix ms, when the script killed or stopped a
/// silo) to the answer of the first call to it sent at or after T (a workload call or a read); one
/// <c>failover grain ms</c> line each, then <c>failover-done grains=N</c>.</item>
/// <item><c>verify</c>: stops the load, waits until every grain serves, reads back every acknowledged call and judges
/// every call in doubt; answers <c>verified PASS|FAIL ...</c> (after the <c>unanswered ...</c> lines, as for
/// <c>status</c>); resumes the load.</item>
/// <item><c>stop</c>: a last verification and the VERDICT line; the process exits.</item>
/// </list>
/// </summary>
internal static class ClusterCommands
{
    public const string Stop = "stop";

    public static async Task RunAsync(ClusterRun run, string[] words)
    {
        switch (words[0])
        {
            case "acks" when words.Length == 2 && long.TryParse(words[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long more):
                long target = run.Ledger.Acknowledged + more;
                try
                {
                    await run.Ledger.WhenAcknowledged(target).WaitAsync(DemoRun.PhaseTimeout);
                    ClusterRun.Say($"acks {Counters(run)}");
                }
                catch (TimeoutException)
                {
                    ClusterRun.Say($"error acks: {target} calls not acknowledged within {DemoRun.PhaseTimeout.TotalSeconds:F0} s: {Counters(run)} first unanswered: {Describe(run.FirstUnanswered)}");
                }

                break;
            case "status":
                run.SayUnanswered();
                ClusterRun.Say($"status {Counters(run)} first_unanswered: {Describe(run.FirstUnanswered)}");
                break;
            case "failover" when words.Length >= 2 && long.TryParse(words[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long since):
                await FailoverAsync(run, since, words[2..]);
                break;
            case "verify":
                run.SayUnanswered();
                await run.VerifyAndResumeAsync();
                break;
            default:
                ClusterRun.Say($"error unknown command '{string.Join(' ', words)}' (acks N, status, failover T grain..., verify, stop)");
                break;
        }
    }

    private static async Task FailoverAsync(ClusterRun run, long since, string[] grains)
    {
        string[] unknown = [.. grains.Where(g => !run.Probe.Knows(g))];
        if (unknown.Length > 0)
        {
            ClusterRun.Say($"error failover: not grains of this run: {string.Join(' ', unknown)}");
            return;
        }

        using var limit = new CancellationTokenSource(DemoRun.PhaseTimeout);
        await Task.WhenAll(grains.Select(async grain =>
        {
            string last = "none";
            try
            {
                long answered = await run.Probe.FirstAnswerAsync(grain, since, ex => last = $"{ex.GetType().Name}: {ex.Message}", limit.Token);
                ClusterRun.Say(string.Create(CultureInfo.InvariantCulture, $"failover {grain} {answered - since}"));
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                ClusterRun.Say($"failover-timeout {grain} no answer within {DemoRun.PhaseTimeout.TotalSeconds:F0} s; last error: {last}");
            }
        }));
        ClusterRun.Say(string.Create(CultureInfo.InvariantCulture, $"failover-done grains={grains.Length} {Counters(run)}"));
    }

    private static string Counters(ClusterRun run) => string.Create(CultureInfo.InvariantCulture,
        $"acknowledged={run.Ledger.Acknowledged} unanswered={run.Ledger.Unanswered} rejected={run.Ledger.Rejected} parked={run.Parked} problems={run.Ledger.Problems.Count}");

    private static string Describe(Exception? exception) => exception is null ? "none" : $"{exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}";
}
