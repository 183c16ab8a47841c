using Actors.Orleans.Log;
using Actors.Orleans.Storage;
using Actors.Wal;

namespace Actors.Orleans.Tests.Log;

public sealed class StreamRetentionRegistryTests
{
    [Fact]
    public void Resolve_JournalStreamNoProviderOwns_KeepsItsWholeHistory()
    {
        // A silo restarted with the grain storage provider alone: the journals written before must not lose their events.
        var registry = new StreamRetentionRegistry([new StateRetentionSource("test")]);

        Assert.Same(HistoryRetention.KeepAll, registry.Resolve(GrainStreamNames.JournalPrefix(WriteAheadLogAttribute.ProviderName) + "counter/c1"));
        Assert.Same(HistoryRetention.KeepAll, registry.Resolve("x/a-later-provider/stream"));
    }

    [Fact]
    public void Resolve_StateStreamOfAnUnregisteredProvider_ReclaimsAfterCheckpoint()
    {
        var registry = new StreamRetentionRegistry([new StateRetentionSource("test")]);

        Assert.Same(HistoryRetention.ReclaimAfterCheckpoint, registry.Resolve(GrainStreamNames.StatePrefix("renamed") + "profile/t/1"));
    }
}
