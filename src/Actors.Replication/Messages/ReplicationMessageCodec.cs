using System.Buffers;
using System.Buffers.Binary;
using Actors.Checksums;
using Actors.Replication.Log;

namespace Actors.Replication.Messages;

/*
 * Replication message wire format. All integers little-endian; one message per transport frame (the frame gives the
 * length). No checksum of its own: entry payloads are the partition log's frames, which carry CRC32C, and the silo
 * transport runs over TCP (optionally TLS). Each kind has its own version: a kind whose body changes gets the next
 * version, and a reader accepts only the version it writes (replicas of one partition run the same build). A
 * checkpoint's state in kind 5 carries no checksum of its own; hosts (ReplicaHost) send it as kind 6 chunks instead,
 * each checksummed, with the whole state's CRC32C checked after reassembly.
 *
 *   Message  := Kind:u8 | Version:u8 | From:i32 | Epoch:i64 | Body
 *   Kind 1 AppendRequest   version 2: PrevOffset:i64 | PrevEpoch:i64 | LeaderEndOffset:i64 | CommittedOffset:i64
 *                          | LeaseStamp:i64 | Count:i32 | Count x Entry
 *            Entry       := Epoch:i64 | PayloadLength:i32 | Payload
 *   Kind 2 AppendAccepted  version 2: MatchedOffset:i64 | DurableOffset:i64 | EchoedStamp:i64
 *   Kind 3 AppendDiverged  version 1: ProbeOffset:i64 | ProbeEpoch:i64
 *   Kind 4 AppendFenced    version 1: (empty)
 *   Kind 5 InstallCheckpoint  version 1: CheckpointOffset:i64 | CheckpointEpoch:i64 | CommittedOffset:i64
 *                          | StateLength:i32 | State
 *   Kind 6 CheckpointChunk    version 1: CheckpointOffset:i64 | CheckpointEpoch:i64 | CommittedOffset:i64
 *                          | StateLength:i32 | StateCrc:u32 | ChunkOffset:i32 | ChunkLength:i32 | Bytes | ChunkCrc:u32
 *            ChunkCrc is the CRC32C of every byte of the message before it (header included): a chunk damaged in transit
 *            is malformed. ChunkOffset + ChunkLength <= StateLength; StateCrc is the CRC32C of the whole state.
 *   Kind 7 CheckpointChunkAccepted  version 1: CheckpointOffset:i64 | CheckpointEpoch:i64 | StateCrc:u32 | ReceivedPrefix:i32
 *            The follower's answer to a chunk (hosts only, like kind 6): the prefix of the state it holds with no gap.
 *
 * Version 1 of kinds 1 and 2 (before the read lease: no LeaseStamp, no EchoedStamp) is refused as malformed: the
 * replicas of one partition must run one protocol (a version-1 follower would never echo a stamp, so its leader could
 * never serve a read, and nothing would say why).
 *
 * Offsets, epochs and stamps are never negative; an entry's epoch is at most the message's epoch and entries' epochs
 * never decrease; a checkpoint's epoch is at most the message's. Bytes left after the body, an unknown kind or version, or a count or length beyond the bytes present
 * are malformed.
 */

/// <summary>Encodes and decodes <see cref="ReplicationMessage"/>s (layout in the comment at the top of this file).</summary>
public static class ReplicationMessageCodec
{
    /// <summary>The version written for <see cref="AppendRequest"/> (2: with the lease stamp).</summary>
    public const byte AppendRequestVersion = 2;

    /// <summary>The version written for <see cref="AppendAccepted"/> (2: with the echoed stamp).</summary>
    public const byte AppendAcceptedVersion = 2;

    /// <summary>The version written for <see cref="AppendDiverged"/> and <see cref="AppendFenced"/>.</summary>
    public const byte Version = 1;

    private const int HeaderBytes = 1 + 1 + 4 + 8;
    private const int EntryHeaderBytes = 8 + 4;
    private const int ChunkBodyBytes = 40 + 4;

    /// <summary>Appends the encoding of <paramref name="message"/> to <paramref name="writer"/>.</summary>
    public static void Write(ReplicationMessage message, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(writer);
        var length = GetByteCount(message);
        var span = writer.GetSpan(length)[..length];
        span[0] = message switch
        {
            AppendRequest => 1,
            AppendAccepted => 2,
            AppendDiverged => 3,
            AppendFenced => 4,
            InstallCheckpoint => 5,
            CheckpointChunk => 6,
            CheckpointChunkAccepted => 7,
            _ => throw new ArgumentException($"Unknown replication message {message.GetType().Name}.", nameof(message)),
        };
        span[1] = VersionOf(span[0]);
        BinaryPrimitives.WriteInt32LittleEndian(span[2..], message.From.Value);
        BinaryPrimitives.WriteInt64LittleEndian(span[6..], message.Epoch);
        var body = span[HeaderBytes..];
        switch (message)
        {
            case AppendRequest request:
                BinaryPrimitives.WriteInt64LittleEndian(body, request.PrevOffset);
                BinaryPrimitives.WriteInt64LittleEndian(body[8..], request.PrevEpoch);
                BinaryPrimitives.WriteInt64LittleEndian(body[16..], request.LeaderEndOffset);
                BinaryPrimitives.WriteInt64LittleEndian(body[24..], request.CommittedOffset);
                BinaryPrimitives.WriteInt64LittleEndian(body[32..], request.LeaseStamp);
                BinaryPrimitives.WriteInt32LittleEndian(body[40..], request.Entries.Count);
                var position = 44;
                for (var i = 0; i < request.Entries.Count; i++)
                {
                    var entry = request.Entries[i];
                    BinaryPrimitives.WriteInt64LittleEndian(body[position..], entry.Epoch);
                    BinaryPrimitives.WriteInt32LittleEndian(body[(position + 8)..], entry.Payload.Length);
                    entry.Payload.Span.CopyTo(body[(position + EntryHeaderBytes)..]);
                    position += EntryHeaderBytes + entry.Payload.Length;
                }

                break;
            case AppendAccepted accepted:
                BinaryPrimitives.WriteInt64LittleEndian(body, accepted.MatchedOffset);
                BinaryPrimitives.WriteInt64LittleEndian(body[8..], accepted.DurableOffset);
                BinaryPrimitives.WriteInt64LittleEndian(body[16..], accepted.EchoedStamp);
                break;
            case AppendDiverged diverged:
                BinaryPrimitives.WriteInt64LittleEndian(body, diverged.ProbeOffset);
                BinaryPrimitives.WriteInt64LittleEndian(body[8..], diverged.ProbeEpoch);
                break;
            case InstallCheckpoint install:
                BinaryPrimitives.WriteInt64LittleEndian(body, install.Checkpoint.Offset);
                BinaryPrimitives.WriteInt64LittleEndian(body[8..], install.Checkpoint.Epoch);
                BinaryPrimitives.WriteInt64LittleEndian(body[16..], install.CommittedOffset);
                BinaryPrimitives.WriteInt32LittleEndian(body[24..], install.Checkpoint.State.Length);
                install.Checkpoint.State.Span.CopyTo(body[28..]);
                break;
            case CheckpointChunk chunk:
                BinaryPrimitives.WriteInt64LittleEndian(body, chunk.CheckpointOffset);
                BinaryPrimitives.WriteInt64LittleEndian(body[8..], chunk.CheckpointEpoch);
                BinaryPrimitives.WriteInt64LittleEndian(body[16..], chunk.CommittedOffset);
                BinaryPrimitives.WriteInt32LittleEndian(body[24..], chunk.StateLength);
                BinaryPrimitives.WriteUInt32LittleEndian(body[28..], chunk.StateCrc);
                BinaryPrimitives.WriteInt32LittleEndian(body[32..], chunk.ChunkOffset);
                BinaryPrimitives.WriteInt32LittleEndian(body[36..], chunk.Bytes.Length);
                chunk.Bytes.Span.CopyTo(body[40..]);
                BinaryPrimitives.WriteUInt32LittleEndian(span[^4..], Crc32C.Compute(span[..^4]));
                break;
            case CheckpointChunkAccepted accepted:
                BinaryPrimitives.WriteInt64LittleEndian(body, accepted.CheckpointOffset);
                BinaryPrimitives.WriteInt64LittleEndian(body[8..], accepted.CheckpointEpoch);
                BinaryPrimitives.WriteUInt32LittleEndian(body[16..], accepted.StateCrc);
                BinaryPrimitives.WriteInt32LittleEndian(body[20..], accepted.ReceivedPrefix);
                break;
        }

        writer.Advance(length);
    }

    /// <summary>The number of bytes <see cref="Write"/> appends for <paramref name="message"/>.</summary>
    public static int GetByteCount(ReplicationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return HeaderBytes + message switch
        {
            AppendRequest request => checked(44 + EntriesByteCount(request.Entries)),
            AppendAccepted => 24,
            AppendDiverged => 16,
            InstallCheckpoint install => checked(28 + install.Checkpoint.State.Length),
            CheckpointChunk chunk => checked(ChunkBodyBytes + chunk.Bytes.Length),
            CheckpointChunkAccepted => 24,
            _ => 0,
        };
    }

    private static int EntriesByteCount(IReadOnlyList<LogEntry> entries)
    {
        var total = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            total = checked(total + EntryHeaderBytes + entries[i].Payload.Length);
        }

        return total;
    }

    /// <summary>Decodes one message that fills <paramref name="bytes"/> exactly; payloads are copied (the result owns them).</summary>
    /// <exception cref="MalformedReplicationMessageException">The bytes are not a message of a known kind in the version this build writes for it.</exception>
    public static ReplicationMessage Read(ReadOnlySpan<byte> bytes) => Read(bytes, ReadOnlyMemory<byte>.Empty);

    /// <summary>
    /// <see cref="Read(ReadOnlySpan{byte})"/>, except that the payloads of an <see cref="AppendRequest"/>'s entries are
    /// slices of <paramref name="bytes"/>, not copies.
    /// </summary>
    /// <remarks>Ownership: the message borrows <paramref name="bytes"/> for as long as it (or any entry of it) lives, so
    /// the caller passes memory that nobody writes or reuses from now on (a frame that arrived in an array of its own, never
    /// a pooled buffer). Other kinds' payloads are copied as <see cref="Read(ReadOnlySpan{byte})"/> does.</remarks>
    /// <exception cref="MalformedReplicationMessageException">The bytes are not a message of a known kind in the version this build writes for it.</exception>
    public static ReplicationMessage ReadSlicing(ReadOnlyMemory<byte> bytes) => Read(bytes.Span, bytes);

    private static ReplicationMessage Read(ReadOnlySpan<byte> bytes, ReadOnlyMemory<byte> slicedFrom)
    {
        var reader = new Reader(bytes);
        var kind = reader.Byte();
        if (kind is < 1 or > 7)
        {
            throw new MalformedReplicationMessageException($"unknown kind {kind}", 0);
        }

        var version = reader.Byte();
        if (version != VersionOf(kind))
        {
            throw new MalformedReplicationMessageException(
                $"version {version} of {KindName(kind)} is not supported (only {VersionOf(kind)})", 1);
        }

        var from = new ReplicaId(reader.Int32());
        var epoch = reader.NonNegative("epoch");
        ReplicationMessage message = kind switch
        {
            1 => ReadAppendRequest(ref reader, from, epoch, slicedFrom),
            2 => new AppendAccepted(
                from, epoch, reader.NonNegative("matched offset"), reader.NonNegative("durable offset"), reader.NonNegative("echoed stamp")),
            3 => new AppendDiverged(from, epoch, reader.NonNegative("probe offset"), reader.NonNegative("probe epoch")),
            4 => new AppendFenced(from, epoch),
            5 => ReadInstallCheckpoint(ref reader, from, epoch),
            6 => ReadCheckpointChunk(ref reader, from, epoch, bytes),
            7 => ReadCheckpointChunkAccepted(ref reader, from, epoch),
            _ => throw new MalformedReplicationMessageException($"unknown kind {kind}", 0),
        };
        reader.End();
        return message;
    }

    // slicedFrom: empty, payloads are copied; else the memory the reader reads (the same bytes), which payloads are slices of.
    private static AppendRequest ReadAppendRequest(ref Reader reader, ReplicaId from, long epoch, ReadOnlyMemory<byte> slicedFrom)
    {
        var prevOffset = reader.NonNegative("previous offset");
        var prevEpoch = reader.NonNegative("previous epoch");
        var leaderEnd = reader.NonNegative("leader end offset");
        var committed = reader.NonNegative("committed offset");
        var leaseStamp = reader.NonNegative("lease stamp");
        var count = reader.Int32();
        if (count < 0 || count > reader.Remaining / EntryHeaderBytes)
        {
            throw new MalformedReplicationMessageException($"entry count {count} does not fit the {reader.Remaining} bytes left", reader.Position - 4);
        }

        var entries = new LogEntry[count];
        var lastEpoch = 0L;
        for (var i = 0; i < count; i++)
        {
            var entryEpoch = reader.NonNegative("entry epoch");
            if (entryEpoch > epoch || entryEpoch < lastEpoch)
            {
                throw new MalformedReplicationMessageException(
                    $"entry {i} has epoch {entryEpoch} (previous entry {lastEpoch}, message {epoch})", reader.Position - 8);
            }

            lastEpoch = entryEpoch;
            var length = reader.Int32();
            entries[i] = new LogEntry(
                entryEpoch,
                slicedFrom.IsEmpty ? reader.Bytes(length) : slicedFrom.Slice(reader.Skip(length), length));
        }

        return new AppendRequest(from, epoch, prevOffset, prevEpoch, entries, leaderEnd, committed, leaseStamp);
    }

    private static byte VersionOf(byte kind) => kind switch
    {
        1 => AppendRequestVersion,
        2 => AppendAcceptedVersion,
        _ => Version,
    };

    private static string KindName(byte kind) => kind switch
    {
        1 => nameof(AppendRequest),
        2 => nameof(AppendAccepted),
        3 => nameof(AppendDiverged),
        4 => nameof(AppendFenced),
        5 => nameof(InstallCheckpoint),
        6 => nameof(CheckpointChunk),
        _ => nameof(CheckpointChunkAccepted),
    };

    private static InstallCheckpoint ReadInstallCheckpoint(ref Reader reader, ReplicaId from, long epoch)
    {
        var offset = reader.NonNegative("checkpoint offset");
        var checkpointEpoch = reader.NonNegative("checkpoint epoch");
        if (checkpointEpoch > epoch || (offset == 0 && checkpointEpoch != 0))
        {
            throw new MalformedReplicationMessageException(
                $"checkpoint epoch {checkpointEpoch} at offset {offset} (message epoch {epoch})", reader.Position - 8);
        }

        var committed = reader.NonNegative("committed offset");
        var state = reader.Bytes(reader.Int32());
        return new InstallCheckpoint(from, epoch, new ReplicaCheckpoint(offset, checkpointEpoch, state), committed);
    }

    private static CheckpointChunk ReadCheckpointChunk(ref Reader reader, ReplicaId from, long epoch, ReadOnlySpan<byte> message)
    {
        // The checksum first: a damaged chunk is refused as such, whatever field the damage hit.
        if (message.Length >= HeaderBytes + ChunkBodyBytes
            && BinaryPrimitives.ReadUInt32LittleEndian(message[^4..]) != Crc32C.Compute(message[..^4]))
        {
            throw new MalformedReplicationMessageException(
                $"the {nameof(CheckpointChunk)} fails its checksum (damaged in transit)", message.Length - 4);
        }

        var offset = reader.NonNegative("checkpoint offset");
        var checkpointEpoch = reader.NonNegative("checkpoint epoch");
        if (checkpointEpoch > epoch || offset == 0)
        {
            throw new MalformedReplicationMessageException(
                $"checkpoint epoch {checkpointEpoch} at offset {offset} (message epoch {epoch})", reader.Position - 8);
        }

        var committed = reader.NonNegative("committed offset");
        var stateLength = reader.Int32();
        var stateCrc = reader.UInt32();
        var chunkOffset = reader.Int32();
        var chunkLength = reader.Int32();
        if (stateLength < 0 || chunkOffset < 0 || chunkLength < 0 || (long)chunkOffset + chunkLength > stateLength)
        {
            throw new MalformedReplicationMessageException(
                $"chunk of {chunkLength} bytes at {chunkOffset} does not fit a state of {stateLength} bytes", reader.Position - 12);
        }

        var bytes = reader.Bytes(chunkLength);
        reader.UInt32();
        return new CheckpointChunk(from, epoch, offset, checkpointEpoch, committed, stateLength, stateCrc, chunkOffset, bytes);
    }

    private static CheckpointChunkAccepted ReadCheckpointChunkAccepted(ref Reader reader, ReplicaId from, long epoch)
    {
        var offset = reader.NonNegative("checkpoint offset");
        var checkpointEpoch = reader.NonNegative("checkpoint epoch");
        if (checkpointEpoch > epoch || offset == 0)
        {
            throw new MalformedReplicationMessageException(
                $"checkpoint epoch {checkpointEpoch} at offset {offset} (message epoch {epoch})", reader.Position - 8);
        }

        var stateCrc = reader.UInt32();
        var prefix = reader.Int32();
        if (prefix < 0)
        {
            throw new MalformedReplicationMessageException($"received prefix is negative ({prefix})", reader.Position - 4);
        }

        return new CheckpointChunkAccepted(from, epoch, offset, checkpointEpoch, stateCrc, prefix);
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;

        public int Position { get; private set; }

        public readonly int Remaining => _bytes.Length - Position;

        public byte Byte() => Take(1)[0];

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

        public long NonNegative(string field)
        {
            var value = BinaryPrimitives.ReadInt64LittleEndian(Take(8));
            return value >= 0 ? value : throw new MalformedReplicationMessageException($"{field} is negative ({value})", Position - 8);
        }

        public byte[] Bytes(int length)
        {
            if (length < 0 || length > Remaining)
            {
                throw new MalformedReplicationMessageException($"payload length {length} does not fit the {Remaining} bytes left", Position - 4);
            }

            return Take(length).ToArray();
        }

        /// <summary>Passes <paramref name="length"/> payload bytes (checked as <see cref="Bytes"/> does); returns where they start.</summary>
        public int Skip(int length)
        {
            if (length < 0 || length > Remaining)
            {
                throw new MalformedReplicationMessageException($"payload length {length} does not fit the {Remaining} bytes left", Position - 4);
            }

            var start = Position;
            Position += length;
            return start;
        }

        public readonly void End()
        {
            if (Remaining != 0)
            {
                throw new MalformedReplicationMessageException($"{Remaining} bytes left after the message", Position);
            }
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > Remaining)
            {
                throw new MalformedReplicationMessageException($"needs {count} more bytes, {Remaining} left", Position);
            }

            var slice = _bytes.Slice(Position, count);
            Position += count;
            return slice;
        }
    }
}
