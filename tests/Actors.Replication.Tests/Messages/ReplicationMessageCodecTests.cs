using System.Buffers;
using Actors.Replication.Log;
using Actors.Replication.Messages;

namespace Actors.Replication.Tests.Messages;

public sealed class ReplicationMessageCodecTests
{
    private static readonly ReplicaId From = new(7);

    private static readonly AppendRequest RequestWithEntries =
        new(From, 5, 10, 4, [new LogEntry(4, new byte[] { 1, 2, 3 }), new LogEntry(5, Array.Empty<byte>())], 12, 9);

    public static TheoryData<ReplicationMessage> Messages =>
    [
        RequestWithEntries,
        new AppendRequest(From, 1, 0, 0, [], 0, 0),
        new AppendAccepted(From, 5, 12, 11),
        new AppendDiverged(From, 5, 3, 2),
        new AppendFenced(From, 9),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Read_WrittenMessage_RoundTrips(ReplicationMessage message)
    {
        var bytes = Encode(message);

        var read = ReplicationMessageCodec.Read(bytes);

        Assert.Equal(ReplicationMessageCodec.GetByteCount(message), bytes.Length);
        Assert.Equal(Describe(message), Describe(read));
    }

    [Fact]
    public void Read_EveryTruncation_ThrowsMalformed()
    {
        var bytes = Encode(RequestWithEntries);

        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes[..length];
            Assert.Throws<MalformedReplicationMessageException>(() => ReplicationMessageCodec.Read(prefix));
        }
    }

    [Fact]
    public void Read_TrailingBytesOrOtherVersion_ThrowsMalformedNamingTheProblem()
    {
        var bytes = Encode(new AppendFenced(From, 3));

        var trailing = Assert.Throws<MalformedReplicationMessageException>(() => ReplicationMessageCodec.Read([.. bytes, 0]));
        bytes[1] = 2;
        var version = Assert.Throws<MalformedReplicationMessageException>(() => ReplicationMessageCodec.Read(bytes));

        Assert.Contains("left after", trailing.Message, StringComparison.Ordinal);
        Assert.Contains("version 2", version.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RandomCorruption_EitherDecodesOrThrowsMalformed()
    {
        var original = Encode(RequestWithEntries);
        var random = new Random(13);
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = original.ToArray();
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            try
            {
                ReplicationMessageCodec.Read(bytes);
            }
            catch (MalformedReplicationMessageException)
            {
            }
        }
    }

    private static byte[] Encode(ReplicationMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ReplicationMessageCodec.Write(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static string Describe(ReplicationMessage message) => message is AppendRequest request
        ? $"{request with { Entries = [] }} entries {string.Join(";", request.Entries.Select(e => $"{e.Epoch}:{Convert.ToHexString(e.Payload.Span)}"))}"
        : message.ToString();
}
