using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;
using Actors.Wal;
using Orleans.TestingHost;

namespace Actors.Orleans.Tests.EventSourcing;

/// <summary>Events against the log's record limit (MaxRecordSizeBytes; 16 KiB on these 64 KiB segments).</summary>
[Trait("Category", "Integration")]
public sealed class JournalRecordLimitTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task ConfirmEvents_BatchLargerThanOneRecord_WrittenAsSeveralAppendsAllDurable()
    {
        await using (TestCluster first = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly, segmentSizeBytes: 64 * 1024))
        {
            IReclaimingJournalGrain grain = first.GrainFactory.GetGrain<IReclaimingJournalGrain>("batch");
            Assert.Equal(12, await grain.AddPaddedBatch(12, 4096));
            await first.StopAllSilosAsync();
        }

        await using TestCluster second = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly, segmentSizeBytes: 64 * 1024);
        Assert.Equal(12, await second.GrainFactory.GetGrain<IReclaimingJournalGrain>("batch").ConfirmedCount());
    }

    /// <remarks>
    /// Orleans's ConfirmEvents waits for one write cycle; when the first part was stored and the second failed, the adaptor
    /// used to end the cycle with the first part alone, so ConfirmEvents returned with 8 of the 12 events not yet durable.
    /// </remarks>
    [Fact]
    public async Task ConfirmEvents_SecondPartOfABatchFailsOnce_ReturnsOnlyWhenEveryEventIsDurable()
    {
        await using (TestCluster first = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly, segmentSizeBytes: 64 * 1024))
        {
            FaultyEventLog? failing = null;
            WalTestCluster.PrimaryLog(first).DecorateForTests = log =>
                (failing ??= FaultyEventLog.Wrap(log, nameof(IEventLog.AppendAsync), "j/", failCallNumber: 2)).AsLog;

            IReclaimingJournalGrain grain = first.GrainFactory.GetGrain<IReclaimingJournalGrain>("split");
            Assert.Equal(12, await grain.AddPaddedBatch(12, 4096));
            Assert.True(failing!.Calls >= 3, $"the batch took {failing.Calls} appends: the injected failure did not fall between its parts");
            WalTestCluster.PrimaryLog(first).DecorateForTests = null;
            await first.StopAllSilosAsync();
        }

        await using TestCluster second = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly, segmentSizeBytes: 64 * 1024);
        Assert.Equal(12, await second.GrainFactory.GetGrain<IReclaimingJournalGrain>("split").ConfirmedCount());
    }

    /// <remarks>
    /// Each failed append is retried after Orleans's retry delay, which grows with the consecutive failures only while the
    /// connection issue stays recorded: the refresh after a failure used to resolve it, so every retry was immediate (a
    /// busy loop while the log refused, on a read-only log or a full disk).
    /// </remarks>
    [Fact]
    public async Task ConfirmEvents_AppendsFailThreeTimes_RetriesAsConsecutiveFailuresThenStores()
    {
        await using (TestCluster first = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly))
        {
            FaultyEventLog? failing = null;
            WalTestCluster.PrimaryLog(first).DecorateForTests = log =>
                (failing ??= FaultyEventLog.Wrap(log, nameof(IEventLog.AppendAsync), "j/", failCallNumber: 1, failCallCount: 3)).AsLog;

            ICounterJournalGrain grain = first.GrainFactory.GetGrain<ICounterJournalGrain>("stubborn");
            Assert.Equal(new CounterView(5, 1, 1), await grain.Add(5));
            Assert.Equal(4, failing!.Calls);
            Assert.Equal(3, await grain.MostConsecutiveFailures());
            WalTestCluster.PrimaryLog(first).DecorateForTests = null;
            await first.StopAllSilosAsync();
        }

        await using TestCluster second = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly);
        Assert.Equal(new CounterView(5, 1, 1), await second.GrainFactory.GetGrain<ICounterJournalGrain>("stubborn").Get());
    }

    [Fact]
    public async Task RaiseEvent_EventLargerThanARecord_RefusedWhenRaisedNothingStored()
    {
        await using TestCluster cluster = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly, segmentSizeBytes: 64 * 1024);
        IReclaimingJournalGrain grain = cluster.GrainFactory.GetGrain<IReclaimingJournalGrain>("huge");
        Assert.Equal(1, await grain.AddPadded(1, 100));
        ValueSerializationException error = await Assert.ThrowsAsync<ValueSerializationException>(() => grain.AddPadded(1, 20_000));
        Assert.Contains("MaxRecordSizeBytes (16384)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await grain.ConfirmedCount());
    }
}
