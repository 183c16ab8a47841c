using Actors.Persistence.Wal.Tests.Grains;
using Actors.Serialization;

namespace Actors.Persistence.Wal.Tests.Codecs;

/// <summary>The default store codec: JSON for [EventType] events (the existing format), binary for [GenerateSerializer]-only ones, told apart per record.</summary>
public sealed class DefaultWalCodecTests
{
    private static readonly CodecContext Where = new("todo/t1", 3);

    private readonly DefaultWalCodec _codec = new(new Serializer(new SerializerBuilder().Build()));

    [Fact]
    public void EncodeEvent_GenerateSerializerOnly_BinaryUnderItsAliasAndRoundTrips()
    {
        EncodedEvent added = _codec.EncodeEvent(new TodoAdded { Title = "tea", At = DateTimeOffset.UnixEpoch });

        Assert.Equal("tests.wal.todo-added", added.TypeName);
        Assert.Equal(BinaryWalCodec.FormatByte, added.Payload.Span[0]);
        var back = Assert.IsType<TodoAdded>(_codec.DecodeEvent(added.TypeName, added.Payload, typeof(TodoEvent), Where));
        Assert.Equal(("tea", DateTimeOffset.UnixEpoch), (back.Title, back.At));
    }

    [Fact]
    public void EncodeEvent_EventTypeAttribute_StaysJsonExactlyAsTheJsonCodecWritesIt()
    {
        EncodedEvent credited = _codec.EncodeEvent(new LedgerCredited(4.5m));
        EncodedEvent json = new JsonWalCodec().EncodeEvent(new LedgerCredited(4.5m));

        Assert.Equal(json.TypeName, credited.TypeName);
        Assert.Equal(json.Payload.ToArray(), credited.Payload.ToArray());
        Assert.Equal(new LedgerCredited(4.5m), _codec.DecodeEvent(credited.TypeName, credited.Payload, typeof(LedgerEvent), Where));
    }

    [Fact]
    public void EncodeEvent_NeitherAttribute_RejectedNamingBothFixes()
    {
        var ex = Assert.Throws<EventEncodingException>(() => _codec.EncodeEvent(new LedgerUnnamed(1m)));

        Assert.Equal(typeof(LedgerUnnamed), ex.ValueType);
        Assert.Contains("[EventType", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[GenerateSerializer]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void State_GenerateSerializerType_BinaryKeepsPrivateFields_OtherTypesJson()
    {
        var state = new TodoState();
        state.Apply(new TodoAdded { Title = "tea" });
        state.Done.Add(0);

        ReadOnlyMemory<byte> binary = _codec.EncodeState(state, typeof(TodoState));
        ReadOnlyMemory<byte> json = _codec.EncodeState(new Dictionary<string, int> { ["a"] = 1 }, typeof(Dictionary<string, int>));
        var back = (TodoState)_codec.DecodeState(binary, typeof(TodoState), Where)!;

        Assert.Equal(BinaryWalCodec.FormatByte, binary.Span[0]);
        Assert.Equal((byte)'{', json.Span[0]);
        Assert.Equal(["tea"], back.Titles);
        Assert.Equal([0], back.Done);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1 }, _codec.DecodeState(json, typeof(Dictionary<string, int>), Where));
    }

    [Fact]
    public void DecodeState_CheckpointWrittenAsJsonBefore_StillDecodes()
    {
        var old = new LedgerState { Balance = 3m, Entries = 2 };
        ReadOnlyMemory<byte> json = new JsonWalCodec().EncodeState(old, typeof(LedgerState));

        var back = (LedgerState)_codec.DecodeState(json, typeof(LedgerState), Where)!;

        Assert.Equal((3m, 2), (back.Balance, back.Entries));
    }
}
