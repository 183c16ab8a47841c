using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Persistence.Wal;

namespace Actors.Persistence.Wal.Tests.Codecs;

public sealed class JsonWalCodecTests
{
    private static readonly CodecContext Context = new("account/42", 7);

    [Fact]
    public void EncodeEvent_NamedEvent_RoundTripsUnderStableName()
    {
        var codec = new JsonWalCodec();
        EncodedEvent encoded = codec.EncodeEvent(new Withdrawn(12.5m, "rent"));

        Assert.Equal("test-withdrawn", encoded.TypeName);
        object decoded = codec.DecodeEvent(encoded.TypeName, encoded.Payload, typeof(ITestEvent), Context);
        Assert.Equal(new Withdrawn(12.5m, "rent"), decoded);
    }

    [Fact]
    public void EncodeEvent_Payload_HoldsNoClrTypeName()
    {
        EncodedEvent encoded = new JsonWalCodec().EncodeEvent(new Deposited(3m));
        string json = Encoding.UTF8.GetString(encoded.Payload.Span);

        Assert.DoesNotContain(nameof(Deposited), json, StringComparison.Ordinal);
        Assert.DoesNotContain(typeof(Deposited).Namespace!, json, StringComparison.Ordinal);
        Assert.Equal("{\"amount\":3}", json);
    }

    [Fact]
    public void EncodeEvent_TypeWithoutName_ThrowsRejectionNamingTheType()
    {
        var ex = Assert.Throws<EventEncodingException>(() => new JsonWalCodec().EncodeEvent(new Unnamed(1)));

        Assert.Equal(typeof(Unnamed), ex.ValueType);
        Assert.Contains(typeof(Unnamed).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.Contains("[EventType(", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was stored", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeEvent_TwoTypesShareOneName_SecondIsRejected()
    {
        var codec = new JsonWalCodec();
        codec.EncodeEvent(new Deposited(1m));

        var ex = Assert.Throws<EventEncodingException>(() => codec.EncodeEvent(new ImpostorDeposited(1m)));
        Assert.Contains("already used", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TwoRegisteredTypesShareOneName_Throws()
    {
        var options = new JsonWalCodecOptions().AddEventType<Deposited>().AddEventType<ImpostorDeposited>();

        var ex = Assert.Throws<ArgumentException>(() => new JsonWalCodec(options));
        Assert.Contains("test-deposited", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeEvent_PropertyThrows_ThrowsRejection()
    {
        var ex = Assert.Throws<EventEncodingException>(() => new JsonWalCodec().EncodeEvent(new ThrowingEvent()));
        Assert.Equal(typeof(ThrowingEvent), ex.ValueType);
        Assert.Equal($"{typeof(ThrowingEvent).FullName}.Value", ex.MemberName);
    }

    [Fact]
    public void EncodeEvent_GetterThrowsNotImplemented_RejectionNamesTypeAndMember()
    {
        var ex = Assert.Throws<EventEncodingException>(() => new JsonWalCodec().EncodeEvent(new UnfinishedEvent()));

        Assert.Equal(typeof(UnfinishedEvent), ex.ValueType);
        Assert.Equal($"{typeof(UnfinishedEvent).FullName}.Pending", ex.MemberName);
        Assert.IsType<NotImplementedException>(ex.InnerException);
        Assert.Contains($"member '{typeof(UnfinishedEvent).FullName}.Pending'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("NotImplementedException", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeEvent_NestedValueGetterThrows_RejectionNamesTheInnerMember()
    {
        var ex = Assert.Throws<EventEncodingException>(() => new JsonWalCodec().EncodeEvent(new NestedUnfinishedEvent("n", new UnfinishedEvent())));

        Assert.Equal(typeof(NestedUnfinishedEvent), ex.ValueType);
        Assert.Equal($"{typeof(UnfinishedEvent).FullName}.Pending", ex.MemberName);
    }

    [Fact]
    public void EncodeState_GetterThrowsNotImplemented_RejectionNamesTypeAndMember()
    {
        var ex = Assert.Throws<EventEncodingException>(() => new JsonWalCodec().EncodeState(new UnfinishedEvent(), typeof(UnfinishedEvent)));

        Assert.Equal($"{typeof(UnfinishedEvent).FullName}.Pending", ex.MemberName);
    }

    [Fact]
    public void DecodeEvent_UnknownTypeName_ThrowsNamingTypeStreamAndVersion()
    {
        var ex = Assert.Throws<UnknownEventTypeException>(() =>
            new JsonWalCodec().DecodeEvent("account-frozen", "{}"u8.ToArray(), typeof(ITestEvent), Context));

        Assert.Equal("account-frozen", ex.TypeName);
        Assert.Equal("account/42", ex.StreamId);
        Assert.Equal(7, ex.Version);
        Assert.Contains("'account-frozen'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'account/42'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("version 7", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeEvent_FreshCodec_DiscoversTypesInTheDeclaredTypesAssembly()
    {
        object decoded = new JsonWalCodec().DecodeEvent("test-deposited", "{\"amount\":5}"u8.ToArray(), typeof(ITestEvent), Context);
        Assert.Equal(new Deposited(5m), decoded);
    }

    [Fact]
    public void DecodeEvent_TwoEventBaseTypesInOneAssembly_BothDiscovered()
    {
        var codec = new JsonWalCodec();
        Assert.Equal(new Deposited(1m), codec.DecodeEvent("test-deposited", "{\"amount\":1}"u8.ToArray(), typeof(ITestEvent), Context));
        Assert.Equal(new OtherHappened(2), codec.DecodeEvent("other-happened", "{\"value\":2}"u8.ToArray(), typeof(IOtherTestEvent), Context));
    }

    [Fact]
    public void DecodeEvent_TypeNotAssignableToDeclaredType_ThrowsDecodingError()
    {
        var codec = new JsonWalCodec(new JsonWalCodecOptions().AddEventType<NotATestEvent>());

        var ex = Assert.Throws<EventDecodingException>(() =>
            codec.DecodeEvent("test-not-an-event", "{\"value\":1}"u8.ToArray(), typeof(ITestEvent), Context));
        Assert.Contains(typeof(ITestEvent).FullName!, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeEvent_MalformedPayload_ThrowsDecodingErrorWithContext()
    {
        var ex = Assert.Throws<EventDecodingException>(() =>
            new JsonWalCodec().DecodeEvent("test-deposited", "{\"amount\":"u8.ToArray(), typeof(ITestEvent), Context));

        Assert.Equal("account/42", ex.StreamId);
        Assert.Equal(7, ex.Version);
        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
    }

    [Fact]
    public void DecodeEvent_JsonUpcasterChain_ReadsRenamedAndReshapedEvent()
    {
        var options = new JsonWalCodecOptions()
            .AddUpcaster("test-renamed-v0", "test-renamed-v1", node =>
            {
                node["amount"] = node["cents"]!.GetValue<int>() / 100m;
                node.AsObject().Remove("cents");
                return node;
            })
            .AddUpcaster("test-renamed-v1", "test-renamed-v2", node =>
            {
                node["owner"] = "unknown";
                return node;
            });
        var codec = new JsonWalCodec(options);

        object decoded = codec.DecodeEvent("test-renamed-v0", "{\"cents\":250}"u8.ToArray(), typeof(ITestEvent), Context);
        Assert.Equal(new RenamedV2("unknown", 2.5m), decoded);
    }

    [Fact]
    public void DecodeEvent_UpcasterCycle_ThrowsDecodingError()
    {
        var options = new JsonWalCodecOptions()
            .AddUpcaster("a", "b", node => node)
            .AddUpcaster("b", "a", node => node);

        var ex = Assert.Throws<EventDecodingException>(() =>
            new JsonWalCodec(options).DecodeEvent("a", "{}"u8.ToArray(), typeof(ITestEvent), Context));
        Assert.Contains("cycle", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeEvent_TypedUpcaster_ConvertsOldTypeToNew()
    {
        var codec = new JsonWalCodec(new JsonWalCodecOptions().AddUpcaster<TypedV1, TypedV2>(old => new TypedV2(old.Cents / 100m)));
        EncodedEvent old = codec.EncodeEvent(new TypedV1(1234));

        object decoded = codec.DecodeEvent(old.TypeName, old.Payload, typeof(ITestEvent), Context);
        Assert.Equal(new TypedV2(12.34m), decoded);
    }

    [Fact]
    public void AddUpcaster_MapsNameToItself_Throws()
    {
        Assert.Throws<ArgumentException>(() => new JsonWalCodecOptions().AddUpcaster("x", "x", n => n));
    }

    [Fact]
    public void EncodeEvent_SourceGeneratedContextOnly_UsesTheContext()
    {
        var options = new JsonWalCodecOptions
        {
            SerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = TestEventJsonContext.Default },
        };
        var codec = new JsonWalCodec(options);

        EncodedEvent encoded = codec.EncodeEvent(new Deposited(9m));
        Assert.Equal(new Deposited(9m), codec.DecodeEvent(encoded.TypeName, encoded.Payload, typeof(ITestEvent), Context));

        // RenamedV2 is not in the generated context and reflection is off: the codec must reject it.
        Assert.Throws<EventEncodingException>(() => codec.EncodeEvent(new RenamedV2("x", 1m)));
    }

    [Fact]
    public void EncodeState_RoundTrip_PreservesValue()
    {
        var codec = new JsonWalCodec();
        var state = new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 };

        ReadOnlyMemory<byte> bytes = codec.EncodeState(state, state.GetType());
        var decoded = (Dictionary<string, int>?)codec.DecodeState(bytes, state.GetType(), Context);

        Assert.Equal(state, decoded);
    }

    [Fact]
    public void DecodeState_Malformed_ThrowsDecodingErrorWithContext()
    {
        var ex = Assert.Throws<EventDecodingException>(() =>
            new JsonWalCodec().DecodeState("[1,"u8.ToArray(), typeof(List<int>), Context));
        Assert.Equal(7, ex.Version);
    }

    [Fact]
    public void DecodeEvent_JsonNodeFromUpcaster_IsUsedWithoutReparsing()
    {
        var codec = new JsonWalCodec(new JsonWalCodecOptions().AddUpcaster("test-legacy", "test-deposited", _ => new JsonObject { ["amount"] = 4 }));
        Assert.Equal(new Deposited(4m), codec.DecodeEvent("test-legacy", "{\"whatever\":true}"u8.ToArray(), typeof(ITestEvent), Context));
    }
}
