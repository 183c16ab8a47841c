using Actors.Hosting;
using Actors.Persistence.Wal.Tests.Grains;
using Actors.Storage;
using Actors.TestingHost;
using Actors.Wal;

namespace Actors.Persistence.Wal.Tests.Cluster;

/// <summary>
/// Which store a journaled grain uses, through the real provider: the default write-ahead-log store when nothing is
/// named (never volatile memory), an activation failure naming the class when there is no default, and the
/// provider-neutral attributes with [WriteAheadLog] only tuning options.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DefaultStoreClusterTests
{
    [Fact]
    public async Task JournaledGrainWithoutAttribute_DefaultWalStore_EventsSurviveKill()
    {
        await using TestCluster cluster = await WalCluster.StartAsync(configureSilo: silo => silo.AddGrain<PlainLedgerGrain>());
        await cluster.Client.GetGrain<IPlainLedgerGrain>("plain").CreditMany(3, 2m);
        LedgerSnapshot before = await cluster.Client.GetGrain<IPlainLedgerGrain>("plain").Credit(4m);

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        LedgerSnapshot after = await cluster.Client.GetGrain<IPlainLedgerGrain>("plain").Get();

        Assert.Equal((10m, 4L), (before.Balance, before.Version));
        Assert.Equal((10m, 4L, 4), (after.Balance, after.Version, after.ReplayedAtActivation));
        Assert.Equal(4, DefaultLog(cluster).GetStreamInfo("plainledger/plain").Version);
    }

    [Fact]
    public async Task JournaledGrainWithoutAttribute_NoDefaultStore_SiloStartsAndActivationFailsNamingGrainAndFix()
    {
        await using TestCluster cluster = await StartWithoutDefaultAsync(silo => silo.AddGrain<PlainLedgerGrain>());

        var error = await Assert.ThrowsAsync<GrainStoreNotConfiguredException>(() => cluster.Client.GetGrain<IPlainLedgerGrain>("orphan").Credit(1m));

        Assert.Equal(typeof(PlainLedgerGrain), error.GrainClass);
        Assert.Contains(typeof(PlainLedgerGrain).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("silo.AddWriteAheadLogAsDefault", error.Message, StringComparison.Ordinal);
        Assert.Contains("never falls back to volatile memory", error.Message, StringComparison.Ordinal);
        // The named store got nothing either.
        Assert.Equal(0, AuditLog(cluster).GetStreamInfo("plainledger/orphan").Version);
    }

    [Fact]
    public async Task StorageProviderAttribute_BesideWriteAheadLog_NamedStoreHoldsEventsAndAttributeTunesCheckpoints()
    {
        await using TestCluster cluster = await WalCluster.StartAsync(configureSilo: silo =>
        {
            silo.AddGrain<AuditLedgerGrain>();
            AddAuditStore(silo);
        });
        IAuditLedgerGrain ledger = cluster.Client.GetGrain<IAuditLedgerGrain>("a1");

        await ledger.CreditMany(6, 1m);
        await ledger.Credit(1m); // confirmed after the checkpoint the first batch triggered (one confirmation at a time)

        StreamInfo audit = AuditLog(cluster).GetStreamInfo("auditledger/a1");
        Assert.Equal((7L, 6L), (audit.Version, audit.CheckpointVersion));
        Assert.Equal(0, DefaultLog(cluster).GetStreamInfo("auditledger/a1").Version);
    }

    [Fact]
    public async Task LogConsistencyProvider_LogStorageOverDefaultWalStore_EventsSurviveKill()
    {
        await using TestCluster cluster = await WalCluster.StartAsync(configureSilo: silo =>
            silo.AddGrain<LogStorageLedgerGrain>().AddLogStorageBasedLogConsistencyProvider());
        await cluster.Client.GetGrain<ILogStorageLedgerGrain>("ls").CreditMany(2, 5m);

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);

        Assert.Equal((10m, 2L), ((await cluster.Client.GetGrain<ILogStorageLedgerGrain>("ls").Get()).Balance, (await cluster.Client.GetGrain<ILogStorageLedgerGrain>("ls").Get()).Version));
        Assert.Equal(2, DefaultLog(cluster).GetStreamInfo("logstorageledger/ls").Version);
    }

    private static IEventLog DefaultLog(TestCluster cluster) => WalCluster.Store(cluster).Log!;

    private static IEventLog AuditLog(TestCluster cluster) => WalCluster.Store(cluster, "audit").Log!;

    private static void AddAuditStore(ISiloBuilder silo) => WalCluster.AddSecondStore(silo, "audit");

    private static async Task<TestCluster> StartWithoutDefaultAsync(Action<ISiloBuilder> configure)
    {
        TestCluster cluster = new TestClusterBuilder().ConfigureSilo(silo =>
        {
            AddAuditStore(silo);
            configure(silo);
        }).Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
