using System.Globalization;
using Actors.Orleans.ClientDemo.Launching;
using Actors.Orleans.ClientDemo.Verification;
using Actors.Orleans.ClientDemo.Workload;

namespace Actors.Orleans.ClientDemo.Cluster;

/// <summary>
/// The cluster mode (<c>--cluster</c>): the bank workload against running silos whose failures a script causes
/// (scripts/cluster-kill-campaign.sh). The load keeps going while silos die: a call without an answer, or refused as
/// retryable, is recorded as of unknown outcome, never as acknowledged; its grains get no further workload call (never
/// a blind resend: a deposit is not idempotent) but are read until they serve again, and the next verification judges
/// the call wholly present or absent. The script drives the run through commands on standard input, one a line
/// (<see cref="ClusterCommands"/>); every answer is a line starting with <c>CLUSTER </c>. At <c>stop</c> (or the end
/// of the input) a last verification runs and the VERDICT line covers every acknowledged call of the run.
/// </summary>
internal sealed class ClusterRun
{
    private readonly DemoArguments _arguments;
    private readonly Ledger _ledger;
    private readonly GrainTimeline _timeline = new();
    private readonly RecoveryReport _all = new();
    private IGrainFactory _grains = null!;
    private BankLoad _load = null!;
    private GrainProbe _probe = null!;
    private CancellationTokenSource _finish = new();
    private Task _running = Task.CompletedTask;
    private int _round;
    private int _verifications;

    private ClusterRun(DemoArguments arguments)
    {
        _arguments = arguments;
        _ledger = new Ledger(arguments.RunId, arguments.Accounts, arguments.Customers);
    }

    /// <summary>Runs until <c>stop</c> or the end of standard input. Exit code 0 when every verification passed.</summary>
    public static Task<int> RunAsync(DemoArguments arguments) => new ClusterRun(arguments).RunAsync();

    private async Task<int> RunAsync()
    {
        DemoOutput.Step($"Cluster mode: {string.Join(", ", _arguments.Gateways)} (cluster '{_arguments.ClusterId}'), response timeout {_arguments.ResponseTimeout.TotalSeconds:F0} s, gateway list {(_arguments.Membership is null ? "static" : "from the membership table")}");
        await using SiloClient client = await GatewayRun.ConnectAsync(_arguments);
        _grains = client.Grains;
        _load = new BankLoad(_grains, _ledger, _timeline, parkInDoubt: true);
        _probe = new GrainProbe(_grains, _ledger, _timeline);
        await WarmUpAsync();
        await _load.SetupAsync(DemoRun.OpeningBalance, _arguments.Workers, CancellationToken.None).WaitAsync(DemoRun.PhaseTimeout);
        foreach (AccountLedger account in _ledger.Accounts)
        {
            Say($"grain account {account.Id}");
        }

        foreach (CustomerLedger customer in _ledger.Customers)
        {
            Say($"grain customer {customer.Id}");
        }

        Resume();
        Say(string.Create(CultureInfo.InvariantCulture, $"ready acknowledged={_ledger.Acknowledged} workers={_arguments.Workers}"));
        while (await Console.In.ReadLineAsync() is { } line)
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (words.Length == 0)
            {
                continue;
            }

            if (words[0] == ClusterCommands.Stop)
            {
                break;
            }

            await ClusterCommands.RunAsync(this, words);
        }

        await PauseAsync();
        await VerifyAsync();
        return DemoOutput.Verdict(_ledger, _all, string.Create(CultureInfo.InvariantCulture,
            $"every one of {_ledger.Acknowledged:N0} acknowledged calls was read back over {_verifications} verification(s) while silos failed ({_ledger.Unanswered:N0} calls of unknown outcome judged whole or absent); money conserved."));
    }

    /// <summary>
    /// Reads every grain until it answers before the first write: the first calls of a new cluster claim the
    /// partitions, start their replicas and wait for their leaders (up to 3 s each), which a short response timeout
    /// would turn into setup calls of unknown outcome. A read changes nothing, so it is retried until it answers.
    /// </summary>
    private async Task WarmUpAsync()
    {
        using var limit = new CancellationTokenSource(DemoRun.PhaseTimeout);
        string last = "none";
        long since = GrainTimeline.Now();
        try
        {
            await Task.WhenAll(_ledger.Accounts.Select(a => a.Id).Concat(_ledger.Customers.Select(c => c.Id))
                .Select(grain => _probe.FirstAnswerAsync(grain, since, ex => last = $"{grain}: {ex.GetType().Name}: {ex.Message}", limit.Token)));
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            throw new TimeoutException($"Not every grain answered a read within {DemoRun.PhaseTimeout.TotalSeconds:F0} s before the setup; last error: {last}");
        }
    }

    /// <summary>Prints a line for the driving script.</summary>
    public static void Say(string text) => Console.WriteLine($"CLUSTER {text}");

    /// <summary>The run's ledger.</summary>
    public Ledger Ledger => _ledger;

    /// <summary>Grains whose call of unknown outcome waits for a verification.</summary>
    public int Parked => _ledger.Accounts.Count(a => a.InDoubt is not null) + _ledger.Customers.Count(c => c.InDoubt is not null);

    /// <summary>The first call that ended without an answer, or null.</summary>
    public Exception? FirstUnanswered => _load.FirstUnanswered;

    /// <summary>Prints an <c>unanswered ...</c> line for each call that ended without an answer since the last time.</summary>
    public void SayUnanswered()
    {
        foreach (string line in _load.TakeUnanswered())
        {
            Say($"unanswered {line}");
        }
    }

    /// <summary>The probe that waits for grains to serve again.</summary>
    public GrainProbe Probe => _probe;

    /// <summary>
    /// Stops the load (each caller finishes its call), waits until every grain serves a read, verifies every
    /// acknowledged call since the previous verification and every call in doubt, and resumes the load.
    /// </summary>
    public async Task VerifyAndResumeAsync()
    {
        await PauseAsync();
        await VerifyAsync();
        Resume();
    }

    private void Resume()
    {
        _finish = new CancellationTokenSource();
        _running = _load.RunAsync(_arguments.Workers, _arguments.Seed + _round++, CancellationToken.None, _finish.Token);
    }

    private async Task PauseAsync()
    {
        await _finish.CancelAsync();
        await _running.WaitAsync(DemoRun.PhaseTimeout);
        _finish.Dispose();
    }

    private async Task VerifyAsync()
    {
        _verifications++;
        long since = GrainTimeline.Now();
        string last = "none";
        using (var limit = new CancellationTokenSource(DemoRun.PhaseTimeout))
        {
            try
            {
                await Task.WhenAll(_ledger.Accounts.Select(a => a.Id).Concat(_ledger.Customers.Select(c => c.Id))
                    .Select(grain => _probe.FirstAnswerAsync(grain, since, ex => last = $"{grain}: {ex.GetType().Name}: {ex.Message}", limit.Token)));
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                _all.Failures.Add($"Verification {_verifications}: not every grain served a read within {DemoRun.PhaseTimeout.TotalSeconds:F0} s; last error: {last}");
                Say($"verified FAIL verification={_verifications} not every grain served a read; last error: {last}");
                return;
            }
        }

        DemoOutput.Step($"Verification {_verifications}: every grain serves; reading back every acknowledged call");
        RecoveryReport report = await RecoveryVerifier.VerifyAsync(_grains, _ledger, _arguments.Workers, CancellationToken.None).WaitAsync(DemoRun.PhaseTimeout);
        DemoOutput.Report(report);
        _all.Failures.AddRange(report.Failures.Select(f => $"verification {_verifications}: {f}"));
        _all.AcknowledgedCalls += report.AcknowledgedCalls;
        _all.InDoubtPresent += report.InDoubtPresent;
        _all.InDoubtAbsent += report.InDoubtAbsent;
        string figures = string.Create(CultureInfo.InvariantCulture,
            $"verification={_verifications} acknowledged={report.AcknowledgedCalls} in_doubt_present={report.InDoubtPresent} in_doubt_absent={report.InDoubtAbsent} money={report.Money} expected_money={report.ExpectedMoney} problems={_ledger.Problems.Count + report.Failures.Count} retried_reads={report.RetriedReads}");
        string first = (report.Passed ? "" : $" first: {report.Failures[0]}") + (_ledger.Problems.Count == 0 ? "" : $" first problem: {_ledger.Problems.First()}");
        if (report.LastRetriedError is { } retried)
        {
            Say($"retried-read {retried}");
        }

        Say($"verified {(report.Passed && _ledger.Problems.Count == 0 ? "PASS" : "FAIL")} {figures}{first}");
    }
}
