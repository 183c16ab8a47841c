using Actors.Client;
using Actors.ClientDemo.Workload;

namespace Actors.ClientDemo;

/// <summary>The workload against an already running silo (docker-compose's demo service): no kill, but the same checks.</summary>
internal static class GatewayDemo
{
    public static async Task<int> RunAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        DemoConsole.Step($"Connecting to the silo gateway at {string.Join(", ", options.Gateways)}");
        var builder = new ClusterClientBuilder();
        foreach (string gateway in options.Gateways)
        {
            builder.UseGateway(gateway);
        }

        await using IClusterClient client = builder
            .UseSecret(options.Secret)
            .Configure(o => o.ConnectAttempts = 10)
            .Build();
        await client.ConnectAsync(cancellationToken);

        // Grain keys are unique per run: the silo keeps earlier runs' accounts in its log.
        string runId = $"run{DateTime.UtcNow:yyyyMMddHHmmss}";
        var model = new BankModel(runId, options.Accounts, options.Customers);
        var workload = new BankWorkload(client, model);
        DemoConsole.Step($"Opening {options.Accounts} journaled accounts and {options.Customers} customers (keys {runId}-...)");
        await workload.SetupAsync(1000m, options.Workers, cancellationToken);

        DemoConsole.Step($"Workload: {options.Workers} concurrent callers for {(options.Operations is { } n ? $"{n} operations" : $"{options.Duration.TotalSeconds} s")}");
        using var load = new CancellationTokenSource(options.Operations is null ? options.Duration : Timeout.InfiniteTimeSpan);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(load.Token, cancellationToken);
        Task running = workload.RunAsync(options.Workers, options.Operations, options.Seed, linked.Token);
        await DemoConsole.ProgressAsync(model, running);
        if (workload.FirstError is { } error)
        {
            model.Fail($"A call failed while the silo was up: {error.GetType().Name}: {error.Message}");
        }

        DemoConsole.Step("Verifying every account and customer through the gateway");
        VerificationReport report = await StateVerifier.VerifyAsync(client, model, options.Workers, cancellationToken);
        DemoConsole.Report(report, afterKill: false);
        return DemoConsole.Verdict(model, report, $"all {model.Acknowledged:N0} acknowledged operations are in the silo's state; total money conserved.");
    }
}
