using Actors.Demo.Grains.Accounts;
using Actors.Demo.Grains.Customers;
using Actors.Hosting;
using Actors.TestingHost;

namespace Actors.Persistence.Wal.Tests.Cluster;

[Trait("Category", "Integration")]
public sealed class DemoGrainClusterTests
{
    private static Task<TestCluster> StartAsync() =>
        WalCluster.StartAsync(configureSilo: silo => silo.AddGrainsFromAssembly(typeof(BankAccountGrain).Assembly));

    [Fact]
    public async Task BankAccounts_TransfersThenKill_BalancesAndTotalSurviveRestart()
    {
        await using TestCluster cluster = await StartAsync();
        var random = new Random(4242);
        const int Accounts = 8;
        for (int i = 0; i < Accounts; i++)
        {
            await cluster.Client.GetGrain<IBankAccountGrain>($"acc-{i}").Deposit(1000m, "opening");
        }

        var transfers = new List<Task>();
        for (int t = 0; t < 200; t++)
        {
            int from = random.Next(Accounts);
            int to = (from + 1 + random.Next(Accounts - 1)) % Accounts;
            decimal amount = random.Next(1, 50);
            transfers.Add(TransferAllowingShortfall(cluster, from, to, amount, $"t{t}"));
        }

        await Task.WhenAll(transfers);
        AccountBalance[] before = await BalancesAsync(cluster, Accounts);
        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        AccountBalance[] after = await BalancesAsync(cluster, Accounts);

        Assert.Equal(Accounts * 1000m, after.Sum(b => b.Balance + b.PendingOutgoing));
        Assert.Equal(before.Select(b => (b.Balance, b.Version)), after.Select(b => (b.Balance, b.Version)));
        Assert.All(after, b => Assert.Equal(0m, b.PendingOutgoing));
    }

    [Fact]
    public async Task BankAccount_WithdrawMoreThanBalance_ThrowsAndChangesNothing()
    {
        await using TestCluster cluster = await StartAsync();
        IBankAccountGrain account = cluster.Client.GetGrain<IBankAccountGrain>("poor");
        await account.Deposit(10m, "salary");

        await Assert.ThrowsAsync<InsufficientFundsException>(() => account.Withdraw(11m, "rent"));
        AccountBalance balance = await account.GetBalance();

        Assert.Equal((10m, 1L), (balance.Balance, balance.Version));
        Assert.Single(await account.GetHistory(0, balance.Version));
    }

    [Fact]
    public async Task Customer_TwoStatesWrittenAtomically_SurviveKill()
    {
        await using TestCluster cluster = await StartAsync();
        ICustomerGrain customer = cluster.Client.GetGrain<ICustomerGrain>("c-1");
        await customer.Rename("Ada");
        await customer.AddAccount("acc-1");
        CustomerSummary before = await customer.Audit("logged in");

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        CustomerSummary after = await cluster.Client.GetGrain<ICustomerGrain>("c-1").GetSummary();

        Assert.Equal(("Ada", 3L, "logged in", "3", "5"), (before.Name, before.AuditEntries, before.LastAuditEntry, before.ProfileETag, before.ActivityETag));
        Assert.Equal((before.Name, before.AuditEntries, before.LastAuditEntry, before.ProfileETag, before.ActivityETag),
            (after.Name, after.AuditEntries, after.LastAuditEntry, after.ProfileETag, after.ActivityETag));
        Assert.Equal(["acc-1"], after.Accounts);
    }

    private static async Task TransferAllowingShortfall(TestCluster cluster, int from, int to, decimal amount, string id)
    {
        try
        {
            await cluster.Client.GetGrain<IBankAccountGrain>($"acc-{from}").Transfer($"acc-{to}", amount, id);
        }
        catch (InsufficientFundsException)
        {
            // A legitimate business outcome under random load.
        }
    }

    private static async Task<AccountBalance[]> BalancesAsync(TestCluster cluster, int accounts)
    {
        var balances = new AccountBalance[accounts];
        for (int i = 0; i < accounts; i++)
        {
            balances[i] = await cluster.Client.GetGrain<IBankAccountGrain>($"acc-{i}").GetBalance();
        }

        return balances;
    }
}
