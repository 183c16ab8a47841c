using Actors.Orleans.Format;
using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;
using Actors.Wal;
using Orleans.TestingHost;

namespace Actors.Orleans.Tests.EventSourcing;

/// <summary>
/// A journaled grain whose stored events include one this silo cannot decode (a well-formed record whose payload the
/// codec cannot read: a type this build no longer has, bytes of another format) fails to activate with a typed error naming the stream and the version, instead of activating with the events before it; the
/// log is left as it was, and other grains are served. Ported from the retired runtime's recovery cluster test.
/// </summary>
[Trait("Category", "Integration")]
public sealed class UndecodableEventTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Activation_StoredEventTheCodecCannotRead_FailsNamingStreamAndTypeAndLeavesTheLogIntact()
    {
        await using (TestCluster first = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly))
        {
            await first.GrainFactory.GetGrain<ICounterJournalGrain>("poisoned").AddMany([1, 2, 3]);
            await first.GrainFactory.GetGrain<ICounterJournalGrain>("healthy").AddMany([4, 5]);
            await first.StopAllSilosAsync();
        }

        string directory = Path.Combine(_root.Path, "Primary");
        await using (ProviderHarnessForJournals log = await ProviderHarnessForJournals.OpenAsync(directory))
        {
            IReadOnlyList<StoredEvent> stored = await log.ReadEventsAsync("poisoned", 3, 3);
            Assert.True(LogValueRecord.TryRead(stored[0].Payload, out LogValueRecord newest, out string error), error);
            byte[] unreadable = [.. Enumerable.Repeat((byte)0xFF, newest.Payload.Length)];
            await log.AppendEventAsync("poisoned", (newest with { TypeName = "Retired.Events.RenamedAway, Retired.Events", Payload = unreadable }).ToArray());
        }

        await using (TestCluster second = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly))
        {
            Exception failure = await Assert.ThrowsAnyAsync<Exception>(() => second.GrainFactory.GetGrain<ICounterJournalGrain>("poisoned").Get());
            string text = failure.ToString();
            Assert.True(text.Contains(nameof(ValueDeserializationException), StringComparison.Ordinal), text);
            Assert.True(text.Contains("counterjournal/poisoned", StringComparison.Ordinal), text);
            Assert.True(text.Contains("Retired.Events.RenamedAway", StringComparison.Ordinal), text);
            Assert.Equal(new CounterView(9, 2, 2), await second.GrainFactory.GetGrain<ICounterJournalGrain>("healthy").Get());
            await second.StopAllSilosAsync();
        }

        await using ProviderHarnessForJournals reopened = await ProviderHarnessForJournals.OpenAsync(directory);
        Assert.Equal(4, reopened.Info("poisoned").Version);
        Assert.Equal(4, (await reopened.ReadEventsAsync("poisoned", 1, 4)).Count);
    }
}
