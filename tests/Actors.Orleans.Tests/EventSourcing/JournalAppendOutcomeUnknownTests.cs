using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;
using Actors.Wal;
using Orleans.TestingHost;

namespace Actors.Orleans.Tests.EventSourcing;

/// <summary>
/// An append whose outcome is unknown (an error after which its records may be durable) that WAS stored: the refresh after
/// it applies the stored events, so the adaptor must not hand the batch back to Orleans to be appended again (a duplicate,
/// with no error). The call ends confirmed once, or with a typed outcome-unknown error; either way the log holds each event
/// once.
/// </summary>
[Trait("Category", "Integration")]
public sealed class JournalAppendOutcomeUnknownTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task ConfirmEvents_AppendStoredThenOutcomeUnknown_EachEventStoredOnce()
    {
        await using (TestCluster first = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly))
        {
            ICounterJournalGrain grain = first.GrainFactory.GetGrain<ICounterJournalGrain>("deposit");
            Assert.Equal(new CounterView(5, 1, 1), await grain.Add(5));

            StoringThenFailingEventLog? failing = null;
            WalTestCluster.PrimaryLog(first).DecorateForTests = log =>
                (failing ??= StoringThenFailingEventLog.Wrap(log, "j/", failAppendNumber: 1)).AsLog;
            await AssertConfirmedOnceOrOutcomeUnknownAsync(() => grain.Add(7), new CounterView(12, 2, 2), "deposit");
            Assert.Equal(new CounterView(12, 2, 2), await grain.Get()); // the view (of this or the next activation) is what is stored
            Assert.NotNull(failing);
            Assert.True(failing.Appends >= 1, "the injected append (stored, then failed) was never made");
            WalTestCluster.PrimaryLog(first).DecorateForTests = null;
            await first.StopAllSilosAsync();
        }

        await using TestCluster second = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly);
        ICounterJournalGrain again = second.GrainFactory.GetGrain<ICounterJournalGrain>("deposit");
        Assert.Equal(new CounterView(12, 2, 2), await again.Get());
        int[] history = await again.History(0, 2);
        Assert.Equal(new[] { 5, 7 }, history);
    }

    /// <remarks>
    /// The batch is appended in parts of 3 events (16 KiB records); the second part is stored then fails. The call either
    /// confirms all 12 events once, or ends with the outcome-unknown error having stored exactly the parts up to the one in
    /// doubt (each event once, none after it), and the grain's view then matches the stream.
    /// </remarks>
    [Fact]
    public async Task ConfirmEvents_SecondPartStoredThenOutcomeUnknown_EachEventStoredOnce()
    {
        int expectedCount;
        await using (TestCluster first = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly, segmentSizeBytes: 64 * 1024))
        {
            StoringThenFailingEventLog? failing = null;
            WalTestCluster.PrimaryLog(first).DecorateForTests = log =>
                (failing ??= StoringThenFailingEventLog.Wrap(log, "j/", failAppendNumber: 2)).AsLog;

            IReclaimingJournalGrain grain = first.GrainFactory.GetGrain<IReclaimingJournalGrain>("parts");
            bool confirmed = await AssertConfirmedOnceOrOutcomeUnknownAsync(() => grain.AddPaddedBatch(12, 4096), 12, "parts");
            Assert.NotNull(failing);
            Assert.True(failing.Appends >= 2, $"the batch took {failing.Appends} appends: the injected failure did not fall on its second part");
            Assert.True(failing.StoredLastVersion is > 1 and < 12, $"the injected append stored up to version {failing.StoredLastVersion}: not a middle part of the batch");
            expectedCount = confirmed ? 12 : (int)failing.StoredLastVersion;
            WalTestCluster.PrimaryLog(first).DecorateForTests = null;
            Assert.Equal(expectedCount, await grain.ConfirmedCount());
            await first.StopAllSilosAsync();
        }

        await using TestCluster second = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly, segmentSizeBytes: 64 * 1024);
        Assert.Equal(expectedCount, await second.GrainFactory.GetGrain<IReclaimingJournalGrain>("parts").ConfirmedCount());
    }

    /// <summary>
    /// The call returns <paramref name="confirmed"/> (true), or fails with the provider's outcome-unknown error naming the
    /// grain and its journal stream (false).
    /// </summary>
    private static async Task<bool> AssertConfirmedOnceOrOutcomeUnknownAsync<T>(Func<Task<T>> call, T confirmed, string grainKey)
    {
        try
        {
            Assert.Equal(confirmed, await call());
            return true;
        }
        catch (WriteAheadLogOperationException error)
        {
            Assert.True(error.OutcomeUnknown, $"the call failed with an error that says nothing was stored: {error.Message}");
            Assert.Contains(grainKey, error.Message, StringComparison.Ordinal);
            Assert.Contains("j/", error.StreamId, StringComparison.Ordinal);
            return false;
        }
    }
}
