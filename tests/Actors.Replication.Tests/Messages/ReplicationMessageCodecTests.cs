using System.Buffers;
using System.Buffers.Binary;
using Actors.Replication.Log;
using Actors.Replication.Messages;

namespace Actors.Replication.Tests.Messages;

public sealed class ReplicationMessageCodecTests
{
    private static readonly ReplicaId From = new(7);

    private static readonly AppendRequest RequestWithEntries =
        new(From, 5, 10, 4, [new LogEntry(4, new byte[] { 1, 2, 3 }), new LogEntry(5, Array.Empty<byte>())], 12, 9, 123_456_789);

    public static TheoryData<ReplicationMessage> Messages =>
    [
        RequestWithEntries,
        new AppendRequest(From, 1, 0, 0, [], 0, 0),
        new AppendAccepted(From, 5, 12, 11),
        new AppendAccepted(From, 5, 12, 11, long.MaxValue),
        new AppendDiverged(From, 5, 3, 2),
        new AppendFenced(From, 9),
        new InstallCheckpoint(From, 6, new ReplicaCheckpoint(40, 5, new byte[] { 9, 8, 7 }), 44),
        new InstallCheckpoint(From, 1, ReplicaCheckpoint.Empty, 0),
        Chunk,
        new CheckpointChunk(From, 2, 1, 1, 1, 0, 0, 0, Array.Empty<byte>()),
        new CheckpointChunkAccepted(From, 6, 40, 5, 0xDEADBEEF, 262_144),
    ];

    private static readonly CheckpointChunk Chunk = new(From, 6, 40, 5, 44, 10, 0xDEADBEEF, 4, new byte[] { 1, 2, 3, 4, 5 });

    [Theory]
    [MemberData(nameof(Messages))]
    public void Read_WrittenMessage_RoundTrips(ReplicationMessage message)
    {
        var bytes = Encode(message);

        var read = ReplicationMessageCodec.Read(bytes);

        Assert.Equal(ReplicationMessageCodec.GetByteCount(message), bytes.Length);
        Assert.Equal(Describe(message), Describe(read));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void ReadSlicing_WrittenMessage_ReadsAsRead(ReplicationMessage message)
    {
        var bytes = Encode(message);

        var read = ReplicationMessageCodec.ReadSlicing(bytes);

        Assert.Equal(Describe(ReplicationMessageCodec.Read(bytes)), Describe(read));
    }

    [Fact]
    public void ReadSlicing_AppendRequest_EntriesAreSlicesOfTheBytesNotCopies()
    {
        // The ownership rule of ReadSlicing: the message borrows the caller's bytes (the frame's array), so a payload
        // reads whatever the array holds; Read's payloads are the message's own.
        var bytes = Encode(RequestWithEntries);
        var sliced = (AppendRequest)ReplicationMessageCodec.ReadSlicing(bytes);
        var copied = (AppendRequest)ReplicationMessageCodec.Read(bytes);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(sliced.Entries[0].Payload, out var segment));
        Assert.Same(bytes, segment.Array);

        bytes[segment.Offset] = 0xEE;

        Assert.Equal(new byte[] { 0xEE, 2, 3 }, sliced.Entries[0].Payload.ToArray());
        Assert.Equal(new byte[] { 1, 2, 3 }, copied.Entries[0].Payload.ToArray());
    }

    [Fact]
    public void ReadSlicing_EveryTruncation_ThrowsMalformed()
    {
        var bytes = Encode(RequestWithEntries);

        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes[..length];
            Assert.Throws<MalformedReplicationMessageException>(() => ReplicationMessageCodec.ReadSlicing(prefix));
        }
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
    public void Write_LeaseCarryingMessages_Version2OthersVersion1()
    {
        Assert.Equal(2, Encode(RequestWithEntries)[1]);
        Assert.Equal(2, Encode(new AppendAccepted(From, 5, 12, 11, 3))[1]);
        Assert.Equal(1, Encode(new AppendDiverged(From, 5, 3, 2))[1]);
        Assert.Equal(1, Encode(new AppendFenced(From, 9))[1]);
    }

    [Fact]
    public void Read_Version1AppendRequest_ThrowsMalformedNamingKindAndVersion()
    {
        // Version 1's layout: header, PrevOffset, PrevEpoch, LeaderEndOffset, CommittedOffset, Count = 0 (no stamp).
        var bytes = new byte[14 + 36];
        bytes[0] = 1;
        bytes[1] = 1;
        bytes[2] = 7;
        bytes[6] = 1;

        var exception = Assert.Throws<MalformedReplicationMessageException>(() => ReplicationMessageCodec.Read(bytes));

        Assert.Contains("version 1 of AppendRequest is not supported (only 2)", exception.Message, StringComparison.Ordinal);
        Assert.Equal(1, exception.Offset);
    }

    [Fact]
    public void Read_Version1AppendAccepted_ThrowsMalformedNamingKindAndVersion()
    {
        // Version 1's layout: header, MatchedOffset, DurableOffset (no echoed stamp); also as a version-2 body cut short.
        var bytes = Encode(new AppendAccepted(From, 5, 12, 11, 3))[..^8];
        var shortBody = Assert.Throws<MalformedReplicationMessageException>(() => ReplicationMessageCodec.Read(bytes));
        bytes[1] = 1;

        var exception = Assert.Throws<MalformedReplicationMessageException>(() => ReplicationMessageCodec.Read(bytes));

        Assert.Contains("version 1 of AppendAccepted is not supported (only 2)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("needs 8 more bytes", shortBody.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Read_NegativeStamp_ThrowsMalformedNamingTheField(int kind)
    {
        ReplicationMessage message = kind == 1 ? RequestWithEntries : new AppendAccepted(From, 5, 12, 11, 3);
        var bytes = Encode(message);
        var at = kind == 1 ? 14 + 32 : 14 + 16;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at, 8), -5L);

        var exception = Assert.Throws<MalformedReplicationMessageException>(() => ReplicationMessageCodec.Read(bytes));

        Assert.Contains(kind == 1 ? "lease stamp is negative" : "echoed stamp is negative", exception.Message, StringComparison.Ordinal);
        Assert.Equal(at, exception.Offset);
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

    [Fact]
    public void Read_CheckpointChunkWithAnyOneByteDamaged_ThrowsMalformed()
    {
        var original = Encode(Chunk);
        for (var position = 0; position < original.Length; position++)
        {
            var bytes = original.ToArray();
            bytes[position] ^= 0x04;

            Assert.Throws<MalformedReplicationMessageException>(() => ReplicationMessageCodec.Read(bytes));
        }

        var stateByte = original.ToArray();
        stateByte[^6] ^= 0x01;
        var damaged = Assert.Throws<MalformedReplicationMessageException>(() => ReplicationMessageCodec.Read(stateByte));
        Assert.Contains("fails its checksum", damaged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CheckpointChunkBeyondItsState_ThrowsMalformed()
    {
        var bytes = Encode(Chunk with { ChunkOffset = 6 });

        var exception = Assert.Throws<MalformedReplicationMessageException>(() => ReplicationMessageCodec.Read(bytes));

        Assert.Contains("does not fit a state of 10 bytes", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CheckpointEpochAboveMessageEpoch_ThrowsMalformed()
    {
        var bytes = Encode(new InstallCheckpoint(From, 6, new ReplicaCheckpoint(40, 7, new byte[] { 1 }), 44));

        var exception = Assert.Throws<MalformedReplicationMessageException>(() => ReplicationMessageCodec.Read(bytes));

        Assert.Contains("checkpoint epoch 7", exception.Message, StringComparison.Ordinal);
    }

    private static string Describe(ReplicationMessage message) => message switch
    {
        AppendRequest request =>
            $"{request with { Entries = [] }} entries {string.Join(";", request.Entries.Select(e => $"{e.Epoch}:{Convert.ToHexString(e.Payload.Span)}"))}",
        CheckpointChunk chunk => $"{chunk with { Bytes = default }} {Convert.ToHexString(chunk.Bytes.Span)}",
        InstallCheckpoint install =>
            $"{install.From} {install.Epoch} {install.CommittedOffset} {install.Checkpoint.Offset} {install.Checkpoint.Epoch} {Convert.ToHexString(install.Checkpoint.State.Span)}",
        _ => message.ToString(),
    };
}
