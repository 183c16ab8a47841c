using Actors.Orleans.Demo.Grains.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Actors.Orleans.Tests.Demo;

/// <summary>
/// The demo's bank account (the grain every cluster campaign verifies) as the recovery verifier relies on it: a call that
/// arrives while one of the account's transfers is still settling (its credit to the target not answered yet, as after a
/// kill or when the transfer's caller timed out) answers only once that transfer is settled, never with it pending.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DemoAccountSettlementTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task GetBalance_WhileATransferWaitsForItsCredit_AnswersWithTheTransferSettled()
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties["WalRoot"] = _directory.Sub("wal");
        builder.AddSiloBuilderConfigurator<Configurator>();
        await using TestCluster cluster = await AsyncDisposableStart.StartAsync(builder.Build(), c => c.DeployAsync());
        var gate = cluster.GetSiloServiceProvider().GetRequiredService<CreditGate>();

        IAccountGrain from = cluster.GrainFactory.GetGrain<IAccountGrain>("settle-from");
        await from.Deposit(100m, "seed");
        gate.Arm("settle-from");

        // The transfer debits, then waits in its credit to the target, which the gate holds.
        Task<AccountBalance> transfer = from.Transfer("settle-to", 40m, "transfer-1");
        await gate.CreditEntered.WaitAsync(Deadline);

        // The gate opens only once GetBalance has run up to its first wait (or to its end, had it not waited).
        AccountBalance balance = await from.GetBalance().WaitAsync(Deadline);

        Assert.Equal(0m, balance.PendingOutgoing);
        Assert.Equal(60m, balance.Balance);
        Assert.Equal(0m, (await transfer.WaitAsync(Deadline)).PendingOutgoing);
        Assert.Equal(40m, (await cluster.GrainFactory.GetGrain<IAccountGrain>("settle-to").GetBalance()).Balance);
    }

    /// <summary>
    /// Holds the credit of the armed account's transfer until the account's next <c>GetBalance</c> has been invoked (its
    /// method ran up to its first wait); lets every other call through.
    /// </summary>
    private sealed class CreditGate : IIncomingGrainCallFilter
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile string? _armed;

        public Task CreditEntered => _entered.Task;

        public void Arm(string account) => _armed = account;

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            string? armed = _armed;
            string method = context.InterfaceMethod?.Name ?? "";
            string grain = context.TargetId.Key.ToString() ?? "";
            if (armed is not null && method == nameof(IAccountGrain.Credit) && context.Request.GetArgument(1) is string source && source == armed)
            {
                _entered.TrySetResult();
                await _release.Task;
                await context.Invoke();
                return;
            }

            if (armed is not null && method == nameof(IAccountGrain.GetBalance) && grain == armed && _entered.Task.IsCompleted)
            {
                Task invoked = context.Invoke();
                _release.TrySetResult();
                await invoked;
                return;
            }

            await context.Invoke();
        }
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            string root = siloBuilder.Configuration["WalRoot"] ?? throw new InvalidOperationException("WalRoot is not set");
            siloBuilder.AddWriteAheadLog(log => log.Directory = root);
            siloBuilder.AddMemoryGrainStorageAsDefault();
            siloBuilder.Services.AddSingleton<CreditGate>();
            siloBuilder.Services.AddSingleton<IIncomingGrainCallFilter>(sp => sp.GetRequiredService<CreditGate>());
        }
    }
}
