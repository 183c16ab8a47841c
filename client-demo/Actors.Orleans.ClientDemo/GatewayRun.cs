using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Actors.Orleans.ClientDemo.Launching;
using Actors.Orleans.ClientDemo.Verification;
using Actors.Orleans.ClientDemo.Workload;

namespace Actors.Orleans.ClientDemo;

/// <summary>
/// The demo against silos that run already (<c>--gateways</c>; docker-compose.yml's demo service): connect through
/// their gateways, open the accounts and customers under a fresh run id, run the load, let every call in flight
/// finish, and verify every acknowledged call through the gateways. Nothing is killed: this checks that the deployed
/// topology serves and keeps what it acknowledged. Exit code 0 when everything matched, 1 on a mismatch, 2 when it
/// could not run.
/// </summary>
internal static class GatewayRun
{
    public static async Task<int> RunAsync(DemoArguments arguments)
    {
        var ledger = new Ledger(arguments.RunId, arguments.Accounts, arguments.Customers);
        DemoOutput.Step($"1/4 Connecting to {string.Join(", ", arguments.Gateways)} (cluster '{arguments.ClusterId}', service '{arguments.ServiceId}')");
        await using SiloClient client = await ConnectAsync(arguments);

        var load = new BankLoad(client.Grains, ledger);
        DemoOutput.Step($"2/4 Opening {arguments.Accounts} journaled accounts with {DemoRun.OpeningBalance:N0} each and {arguments.Customers} customers (keys {arguments.RunId}/...)");
        await load.SetupAsync(DemoRun.OpeningBalance, arguments.Workers, CancellationToken.None).WaitAsync(DemoRun.PhaseTimeout);
        DemoOutput.Line($"{ledger.Acknowledged} calls acknowledged");

        DemoOutput.Step($"3/4 Load: {arguments.Workers} concurrent callers doing deposits, withdrawals, transfers and customer changes");
        using var finish = new CancellationTokenSource();
        Task running = load.RunAsync(arguments.Workers, arguments.Seed, CancellationToken.None, finish.Token);
        Task stopPoint = arguments.Operations is { } operations ? ledger.WhenAcknowledged(ledger.Acknowledged + operations) : Task.Delay(arguments.Duration);
        await DemoOutput.ProgressAsync(ledger, Task.WhenAny(stopPoint, running));
        await finish.CancelAsync();
        await running.WaitAsync(DemoRun.PhaseTimeout);
        DemoOutput.Line(string.Create(CultureInfo.InvariantCulture, $"{ledger.Acknowledged:N0} calls acknowledged, {ledger.Unanswered} without an answer"));
        if (load.FirstUnanswered is { } first)
        {
            DemoOutput.Line($"first call without an answer: {first.GetType().Name}: {first.Message}");
        }

        DemoOutput.Step("4/4 Verifying every acknowledged call through the gateways");
        RecoveryReport report = await RecoveryVerifier.VerifyAsync(client.Grains, ledger, arguments.Workers, CancellationToken.None).WaitAsync(DemoRun.PhaseTimeout);
        DemoOutput.Report(report);
        return DemoOutput.Verdict(ledger, report, string.Create(CultureInfo.InvariantCulture, $"the silos at {string.Join(", ", arguments.Gateways)} kept every one of {ledger.Acknowledged:N0} acknowledged calls; money conserved."));
    }

    /// <summary>Resolves the gateways and connects, retrying each second until <see cref="DemoArguments.ConnectTimeout"/> (silos may still be starting).</summary>
    /// <exception cref="InvalidOperationException">No connection within the timeout; the message has the last error.</exception>
    public static async Task<SiloClient> ConnectAsync(DemoArguments arguments)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string last = "no attempt";
        using var retry = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            try
            {
                IPEndPoint[] gateways = await ResolveAsync(arguments.Gateways);
                TimeSpan left = arguments.ConnectTimeout - clock.Elapsed;
                SiloClient client = await SiloClient.ConnectAsync(gateways, arguments.ClusterId, arguments.ServiceId, left > TimeSpan.FromSeconds(5) ? left : TimeSpan.FromSeconds(5), arguments.ResponseTimeout, arguments.Membership);
                DemoOutput.Line(string.Create(CultureInfo.InvariantCulture, $"connected after {clock.Elapsed.TotalSeconds:F1} s through {string.Join(", ", gateways.Select(g => g.ToString()))}"));
                return client;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not ArgumentException)
            {
                last = $"{ex.GetType().Name}: {ex.Message}";
            }
        }
        while (clock.Elapsed < arguments.ConnectTimeout && await retry.WaitForNextTickAsync());

        throw new InvalidOperationException($"no gateway of {string.Join(", ", arguments.Gateways)} accepted the client within {arguments.ConnectTimeout.TotalSeconds:F0} s; last error: {last}");
    }

    private static async Task<IPEndPoint[]> ResolveAsync(IReadOnlyList<string> gateways)
    {
        var endpoints = new List<IPEndPoint>();
        foreach (string gateway in gateways)
        {
            int colon = gateway.LastIndexOf(':');
            string host = gateway[..colon].Trim('[', ']');
            int port = int.Parse(gateway.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture);
            IPAddress address = IPAddress.TryParse(host, out IPAddress? parsed) ? parsed
                : (await Dns.GetHostAddressesAsync(host)).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
            endpoints.Add(new IPEndPoint(address, port));
        }

        return [.. endpoints];
    }
}
