using Actors.Persistence.Wal.Tests.Grains;
using Actors.Serialization;

namespace Actors.Persistence.Wal.Tests.Codecs;

[GenerateSerializer]
public abstract record BasketEvent;

[GenerateSerializer, Alias("tests.wal.item-added")]
public sealed record ItemAdded(string Name, int Quantity) : BasketEvent;

[GenerateSerializer]
public sealed record ItemRemoved(string Name) : BasketEvent;

[GenerateSerializer]
public sealed class BasketState
{
    [Id(0)]
    public Dictionary<string, int> Items { get; set; } = [];

    [Id(1)]
    public (int Lines, decimal? Total) Summary { get; set; }
}

public sealed class BinaryWalCodecTests
{
    private static readonly CodecContext Where = new("basket/b1", 7);

    private readonly BinaryWalCodec _codec = new(new Serializer(new SerializerBuilder().Build()));

    [Fact]
    public void EncodeEvent_GeneratedTypeWithoutEventTypeAttribute_NamedByAliasElseFullNameAndRoundTrips()
    {
        EncodedEvent added = _codec.EncodeEvent(new ItemAdded("tea", 2));
        EncodedEvent removed = _codec.EncodeEvent(new ItemRemoved("tea"));

        Assert.Equal("tests.wal.item-added", added.TypeName);
        Assert.Equal(typeof(ItemRemoved).FullName, removed.TypeName);
        Assert.Equal(BinaryWalCodec.FormatByte, added.Payload.Span[0]);
        Assert.Equal(new ItemAdded("tea", 2), _codec.DecodeEvent(added.TypeName, added.Payload, typeof(BasketEvent), Where));
        Assert.Equal(new ItemRemoved("tea"), _codec.DecodeEvent(removed.TypeName, removed.Payload, typeof(BasketEvent), Where));
    }

    [Fact]
    public void EncodeEvent_EventTypeAttribute_KeepsItsStableName()
    {
        EncodedEvent credited = _codec.EncodeEvent(new LedgerCredited(4.5m));

        Assert.Equal("ledger-credited", credited.TypeName);
        Assert.Equal(new LedgerCredited(4.5m), _codec.DecodeEvent(credited.TypeName, credited.Payload, typeof(LedgerEvent), Where));
    }

    [Fact]
    public void Decode_PayloadsWrittenByTheJsonCodec_StillDecode()
    {
        var json = new JsonWalCodec();
        EncodedEvent old = json.EncodeEvent(new LedgerCredited(12m));
        var state = new LedgerState { Balance = 3m, Entries = 2 };

        object decoded = _codec.DecodeEvent(old.TypeName, old.Payload, typeof(LedgerEvent), Where);
        var decodedState = (LedgerState)_codec.DecodeState(json.EncodeState(state, typeof(LedgerState)), typeof(LedgerState), Where)!;

        Assert.Equal(new LedgerCredited(12m), decoded);
        Assert.Equal((3m, 2), (decodedState.Balance, decodedState.Entries));
    }

    [Fact]
    public void State_GeneratedType_RoundTripsExactly()
    {
        var state = new BasketState { Items = { ["tea"] = 2, ["milk"] = 1 }, Summary = (2, null) };

        ReadOnlyMemory<byte> payload = _codec.EncodeState(state, typeof(BasketState));
        var back = (BasketState)_codec.DecodeState(payload, typeof(BasketState), Where)!;

        Assert.Equal(BinaryWalCodec.FormatByte, payload.Span[0]);
        Assert.Equal(state.Items, back.Items);
        Assert.Equal((2, (decimal?)null), back.Summary);
    }

    [Fact]
    public void DecodeEvent_NotTheGrainsEventType_EventDecodingExceptionNamingBoth()
    {
        EncodedEvent added = _codec.EncodeEvent(new ItemAdded("tea", 2));

        var ex = Assert.Throws<EventDecodingException>(() => _codec.DecodeEvent(added.TypeName, added.Payload, typeof(LedgerEvent), Where));

        Assert.Contains(typeof(ItemAdded).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(LedgerEvent).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.Equal(("basket/b1", 7L), (ex.StreamId, ex.Version));
    }

    [Fact]
    public void DecodeEvent_TypeUnknownToThisProcess_UnknownEventTypeException()
    {
        byte[] payload = _codec.EncodeEvent(new ItemAdded("tea", 2)).Payload.ToArray();
        byte[] alias = System.Text.Encoding.UTF8.GetBytes("tests.wal.item-added");
        int at = payload.AsSpan().IndexOf(alias);
        Assert.True(at > 0);
        payload[at] = (byte)'x';

        var ex = Assert.Throws<UnknownEventTypeException>(() => _codec.DecodeEvent("tests.wal.item-added", payload, typeof(BasketEvent), Where));

        Assert.Equal("basket/b1", ex.StreamId);
    }

    [Fact]
    public void EncodeEvent_TypeWithoutSerializer_RejectedNamingTheType()
    {
        var ex = Assert.Throws<EventEncodingException>(() => _codec.EncodeEvent(new LedgerUnnamed(1m)));

        Assert.Equal(typeof(LedgerUnnamed), ex.ValueType);
        Assert.IsType<CodecNotFoundException>(ex.InnerException);
    }
}
