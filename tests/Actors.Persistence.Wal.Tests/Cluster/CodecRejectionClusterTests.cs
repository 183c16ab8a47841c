using Actors.Journaling;
using Actors.Hosting;
using Actors.Persistence.Wal.Tests.Grains;
using Actors.Storage;
using Actors.TestingHost;

namespace Actors.Persistence.Wal.Tests.Cluster;

/// <summary>
/// Whatever a codec throws while encoding (here <see cref="NotImplementedException"/> from a property getter) is a
/// rejection through the real provider: a typed exception naming the grain, the type and the member, nothing stored,
/// the same activation keeps serving.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CodecRejectionClusterTests
{
    [Fact]
    public async Task RaiseEvent_GetterThrowsNotImplemented_RejectedNamingGrainTypeAndMemberNothingStored()
    {
        await using TestCluster cluster = await StartAsync();
        IFragileGrain grain = cluster.Client.GetGrain<IFragileGrain>("events");
        FragileSnapshot before = await grain.Credit(5m);

        var error = await Assert.ThrowsAsync<EventRejectedException>(() => grain.RaiseUnfinished());
        FragileSnapshot after = await grain.Credit(1m);

        Assert.Contains("fragile/events", error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(LedgerUnfinished).FullName!, error.Message, StringComparison.Ordinal);
        var encoding = Assert.IsType<EventEncodingException>(error.InnerException);
        Assert.Equal($"{typeof(LedgerUnfinished).FullName}.Amount", encoding.MemberName);
        Assert.IsType<NotImplementedException>(encoding.InnerException);
        Assert.Equal((before.ActivationId, 2L), (after.ActivationId, after.Version));
        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        Assert.Equal(2L, (await cluster.Client.GetGrain<IFragileGrain>("events").Get()).Version);
    }

    [Fact]
    public async Task WriteStateAsync_GetterThrowsNotImplemented_RejectedNamingGrainStateAndMemberNothingStored()
    {
        await using TestCluster cluster = await StartAsync();
        IFragileGrain grain = cluster.Client.GetGrain<IFragileGrain>("state");
        FragileSnapshot before = await grain.Write();

        var error = await Assert.ThrowsAsync<StateRejectedException>(() => grain.WriteBroken());
        FragileSnapshot after = await grain.Write();

        Assert.Contains("fragile/state", error.Message, StringComparison.Ordinal);
        Assert.Contains("'fragile'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{typeof(FragileState).FullName}.Secret", error.Message, StringComparison.Ordinal);
        Assert.Equal((before.ActivationId, 2, "2"), (after.ActivationId, after.Writes, after.ETag));
    }

    [Fact]
    public async Task RaiseEvent_CustomCodecThrowsAnyException_RejectedNamingGrainAndEventType()
    {
        await using TestCluster cluster = await WalCluster.StartAsync(o => o.Codec = new NoteRefusingCodec());
        ILedgerGrain ledger = cluster.Client.GetGrain<ILedgerGrain>("custom");
        LedgerSnapshot before = await ledger.Credit(1m);

        var error = await Assert.ThrowsAsync<EventRejectedException>(() => ledger.Note("no"));
        LedgerSnapshot after = await ledger.Credit(1m);

        Assert.Contains("ledger/custom", error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(LedgerNote).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidCastException", error.Message, StringComparison.Ordinal);
        Assert.Equal((before.ActivationId, 2L), (after.ActivationId, after.Version));
    }

    private static Task<TestCluster> StartAsync() => WalCluster.StartAsync(configureSilo: silo =>
    {
        silo.AddGrain<FragileGrain>();
        WalCluster.AddSecondStore(silo, "states");
    });

    /// <summary>The JSON codec, except that notes throw a framework exception no store should read as a protocol signal.</summary>
    private sealed class NoteRefusingCodec : IWalCodec
    {
        private readonly JsonWalCodec _inner = new();

        public EncodedEvent EncodeEvent(object @event) =>
            @event is LedgerNote ? throw new InvalidCastException("notes are not supported by this codec") : _inner.EncodeEvent(@event);

        public object DecodeEvent(string typeName, ReadOnlyMemory<byte> payload, Type declaredType, CodecContext context) =>
            _inner.DecodeEvent(typeName, payload, declaredType, context);

        public ReadOnlyMemory<byte> EncodeState(object? state, Type stateType) => _inner.EncodeState(state, stateType);

        public object? DecodeState(ReadOnlyMemory<byte> payload, Type stateType, CodecContext context) => _inner.DecodeState(payload, stateType, context);
    }
}
