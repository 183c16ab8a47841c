using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;
using Orleans.TestingHost;

namespace Actors.Orleans.Tests.EventSourcing;

/// <summary>
/// A journaled grain whose events are stored under another configured log-consistency provider (its class moved from
/// the silo's default to <c>[WriteAheadLog]</c>) does not activate empty.
/// </summary>
[Trait("Category", "Integration")]
public sealed class JournalUnderAnotherProviderTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Activation_EventsStoredUnderTheDefaultProvider_FailsNamingThatStreamInsteadOfStartingEmpty()
    {
        await using (TestCluster first = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.Defaults))
        {
            await first.GrainFactory.GetGrain<ICounterJournalGrain>("source").AddMany([1, 2, 3]);
            await first.StopAllSilosAsync();
        }

        await using (ProviderHarnessForJournals log = await ProviderHarnessForJournals.OpenAsync(Path.Combine(_root.Path, "Primary")))
        {
            await log.CopyJournalAsync("source", "Default", "moved");
        }

        await using TestCluster second = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.Defaults);
        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => second.GrainFactory.GetGrain<ICounterJournalGrain>("moved").Get());
        Assert.True(error.ToString().Contains(nameof(GrainDataUnderAnotherProviderException), StringComparison.Ordinal), error.ToString());
        Assert.True(error.ToString().Contains("'j/Default/counterjournal/moved'", StringComparison.Ordinal), error.ToString());
        Assert.Equal(new CounterView(6, 3, 3), await second.GrainFactory.GetGrain<ICounterJournalGrain>("source").Get());
    }

    [Fact]
    public async Task Activation_OwnJournalClearedWhileTheDefaultProviderHoldsEvents_FailsInsteadOfStartingEmpty()
    {
        await using (TestCluster first = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.Defaults))
        {
            await first.GrainFactory.GetGrain<ICounterJournalGrain>("source").AddMany([1, 2, 3]);
            ICounterJournalGrain cleared = first.GrainFactory.GetGrain<ICounterJournalGrain>("cleared");
            await cleared.Add(5);
            await cleared.Clear();
            await first.StopAllSilosAsync();
        }

        await using (ProviderHarnessForJournals log = await ProviderHarnessForJournals.OpenAsync(Path.Combine(_root.Path, "Primary")))
        {
            await log.CopyJournalAsync("source", "Default", "cleared");
        }

        await using TestCluster second = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.Defaults);
        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => second.GrainFactory.GetGrain<ICounterJournalGrain>("cleared").Get());
        Assert.True(error.ToString().Contains("'j/Default/counterjournal/cleared'", StringComparison.Ordinal), error.ToString());
    }
}
