using Actors.Runtime;
using Actors.Streams.Delivery;
using Actors.Streams.Storage;

namespace Actors.Streaming.Tests;

public sealed class RecordCodecTests
{
    [Fact]
    public void QueueRecord_EncodeDecode_RoundTrips()
    {
        byte[] encoded = StreamRecordCodec.Encode(StreamRecordKind.Item, "System.Int32, System.Private.CoreLib", [1, 2, 3]);

        StreamRecord decoded = StreamRecordCodec.Decode(encoded, "q", 7);

        Assert.Equal(StreamRecordKind.Item, decoded.Kind);
        Assert.Equal("System.Int32, System.Private.CoreLib", decoded.TypeName);
        Assert.Equal([1, 2, 3], decoded.Payload.ToArray());
    }

    [Fact]
    public void QueueRecord_NewerMinimumVersion_IsRefusedNamingStreamAndVersion()
    {
        byte[] encoded = StreamRecordCodec.Encode(StreamRecordKind.Completed, string.Empty, []);
        encoded[2] = 9;

        FormatException error = Assert.Throws<FormatException>(() => StreamRecordCodec.Decode(encoded, "stream:q:p:2:ns:k", 4));

        Assert.Contains("stream:q:p:2:ns:k", error.Message, StringComparison.Ordinal);
        Assert.Contains("format 9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SubscriptionRecord_ClientSubscriber_RoundTripsAndNeedsFormat2WhileGrainRecordsStayReadableByFormat1()
    {
        var client = new SubscriptionEntry(Guid.NewGuid(), ClientSubscribers.GrainIdOf("client-streams-1"), false, 5);
        var grain = new SubscriptionEntry(Guid.NewGuid(), GrainId.Create("consumer", "a"), false, 2);
        byte[] clientRecord = SubscriptionRecordCodec.EncodeSubscribe(client);
        byte[] clientCheckpoint = SubscriptionRecordCodec.EncodeCheckpoint([grain, client]);
        var table = new Dictionary<Guid, SubscriptionEntry>();

        SubscriptionRecordCodec.Apply(clientRecord, "s", 1, table);
        SubscriptionRecordCodec.ReadCheckpoint(clientCheckpoint, "s", 2, table);

        Assert.Equal(2, clientRecord[2]);
        Assert.Equal(2, clientCheckpoint[2]);
        Assert.Equal(1, SubscriptionRecordCodec.EncodeSubscribe(grain)[2]);
        Assert.Equal(1, SubscriptionRecordCodec.EncodeCheckpoint([grain])[2]);
        Assert.Equal(client, table[client.Id]);
        Assert.Equal(grain, table[grain.Id]);
    }

    [Fact]
    public void SubscriptionRecord_ClientKindWithAGrainSubscriber_IsRefused()
    {
        byte[] record = SubscriptionRecordCodec.EncodeSubscribe(new SubscriptionEntry(Guid.NewGuid(), GrainId.Create("consumer", "a"), false, 0));
        record[4 + 16] = 2;

        FormatException error = Assert.Throws<FormatException>(() => SubscriptionRecordCodec.Apply(record, "stream:s:p:2:ns:k", 3, []));

        Assert.Contains("subscriber kind 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SubscriptionRecords_ReplayedInOrder_RebuildTheTable()
    {
        var a = new SubscriptionEntry(Guid.NewGuid(), GrainId.Create("consumer", "a"), false, 3);
        var b = new SubscriptionEntry(Guid.NewGuid(), GrainId.Create("implicitconsumer", "k/with/slashes"), true, 0);
        var table = new Dictionary<Guid, SubscriptionEntry>();

        SubscriptionRecordCodec.Apply(SubscriptionRecordCodec.EncodeSubscribe(a), "s", 1, table);
        SubscriptionRecordCodec.Apply(SubscriptionRecordCodec.EncodeSubscribe(b), "s", 2, table);
        SubscriptionRecordCodec.Apply(SubscriptionRecordCodec.EncodeCursors([new(a.Id, 10), new(b.Id, 5)]), "s", 3, table);
        SubscriptionRecordCodec.Apply(SubscriptionRecordCodec.EncodeUnsubscribe(a.Id), "s", 4, table);

        Assert.Equal([b with { Cursor = 5 }], table.Values);
    }

    [Fact]
    public void SubscriptionCheckpoint_EncodeRead_RoundTrips()
    {
        SubscriptionEntry[] entries = [new(Guid.NewGuid(), GrainId.Create("consumer", "x"), false, 42), new(Guid.NewGuid(), GrainId.Create("c", "y"), true, 0)];
        var table = new Dictionary<Guid, SubscriptionEntry>();

        SubscriptionRecordCodec.ReadCheckpoint(SubscriptionRecordCodec.EncodeCheckpoint(entries), "s", 9, table);

        Assert.Equal(entries, table.Values.OrderBy(e => Array.IndexOf(entries, e)));
    }

    [Fact]
    public void DirectoryRecord_EncodeRead_RoundTrips()
    {
        StreamId id = StreamId.Create("name:space", "key");

        Assert.Equal(id, SubscriptionRecordCodec.ReadDirectory(SubscriptionRecordCodec.EncodeDirectory(id), "d", 1));
    }

    [Fact]
    public void LogIds_NamespacesWithSeparators_NeverCollide()
    {
        Assert.NotEqual(StreamLogIds.Queue("p", StreamId.Create("a:b", "c")), StreamLogIds.Queue("p", StreamId.Create("a", "b:c")));
        Assert.NotEqual(StreamLogIds.Queue("p", StreamId.Create("ns", "k")), StreamLogIds.Subscriptions("p", StreamId.Create("ns", "k")));
    }
}
