using System.Buffers.Binary;
using Actors.Checksums;
using Actors.Wal.Format;
using Actors.Wal.Recovery;

namespace Actors.Wal.Tests.Format;

public sealed class FormatTests
{
    [Fact]
    public void SegmentManifest_EraseMark_RoundTripsAndRaisesTheMinimumVersionOnlyWhenSet()
    {
        var entries = new[]
        {
            new ManifestEntry(1, ManifestState.Sealed, 4096, 638_000_000_000_000_000, HoldsErasedData: true),
            new ManifestEntry(2, ManifestState.Open, 0, 0),
        };

        var parsed = SegmentManifest.TryParse(SegmentManifest.Serialize(entries), out string? reason, out ushort version, out ushort minVersion);

        Assert.Null(reason);
        Assert.Equal(entries, parsed!.Segments);
        Assert.Equal(SegmentManifest.CurrentVersion, version);
        Assert.Equal(3, minVersion);
        SegmentManifest.TryParse(SegmentManifest.Serialize([entries[1]]), out _, out _, out ushort unflaggedMin);
        Assert.Equal(2, unflaggedMin);
    }

    [Fact]
    public void SegmentHeader_WriteThenTryRead_RoundTrips()
    {
        var header = new SegmentHeader(42, 1234, 638_000_000_000_000_000, 64 * 1024);
        byte[] bytes = new byte[SegmentHeader.Size];
        header.Write(bytes);

        var status = SegmentHeader.TryRead(bytes, out var read, out ushort version, out ushort minVersion);

        Assert.Equal(SegmentHeaderStatus.Ok, status);
        Assert.Equal(header, read);
        Assert.Equal(SegmentHeader.CurrentVersion, version);
        Assert.Equal(SegmentHeader.CurrentMinCompatibleVersion, minVersion);
    }

    [Fact]
    public void SegmentHeader_EveryFlippedBit_IsDetected()
    {
        byte[] bytes = new byte[SegmentHeader.Size];
        new SegmentHeader(1, 1, 1, 65536).Write(bytes);
        for (int i = 0; i < bytes.Length * 8; i++)
        {
            byte[] copy = (byte[])bytes.Clone();
            copy[i / 8] ^= (byte)(1 << (i % 8));
            Assert.NotEqual(SegmentHeaderStatus.Ok, SegmentHeader.TryRead(copy, out _, out _, out _));
        }
    }

    [Fact]
    public void SegmentHeader_FutureMinCompatibleVersion_IsUnsupported()
    {
        byte[] bytes = new byte[SegmentHeader.Size];
        const ushort future = SegmentHeader.CurrentVersion + 2;
        new SegmentHeader(1, 1, 1, 65536).Write(bytes, future, SegmentHeader.CurrentVersion + 1);
        Assert.Equal(SegmentHeaderStatus.UnsupportedVersion, SegmentHeader.TryRead(bytes, out _, out ushort version, out _));
        Assert.Equal(future, version);
    }

    [Fact]
    public void SegmentHeader_NewerButCompatibleVersion_IsReadable()
    {
        byte[] bytes = new byte[SegmentHeader.Size];
        new SegmentHeader(1, 1, 1, 65536).Write(bytes, SegmentHeader.CurrentVersion + 1, SegmentHeader.CurrentVersion);
        Assert.Equal(SegmentHeaderStatus.Ok, SegmentHeader.TryRead(bytes, out _, out _, out _));
    }

    [Fact]
    public void SegmentHeader_AllZero_IsEmpty()
    {
        Assert.Equal(SegmentHeaderStatus.Empty, SegmentHeader.TryRead(new byte[SegmentHeader.Size], out _, out _, out _));
        Assert.Equal(SegmentHeaderStatus.Empty, SegmentHeader.TryRead(new byte[3], out _, out _, out _));
    }

    [Fact]
    public void EventsRecord_WriteThenDecode_RoundTrips()
    {
        byte[] id = "account/42"u8.ToArray();
        ReadOnlyMemory<byte>[] events = ["a"u8.ToArray(), Array.Empty<byte>(), "ccc"u8.ToArray()];
        byte[] buffer = new byte[RecordCodec.EventsSize(id.Length, events)];
        int length = RecordCodec.WriteEvents(buffer, id, 100, 7, 555, LogPosition.Create(3, 4096), events);

        Assert.True(RecordHeader.TryRead(buffer, 1 << 20, out var header, out _));
        Assert.True(RecordCodec.CrcMatches(buffer));
        var items = new List<RecordItem>();
        Assert.True(RecordCodec.TryDecodeItems(header, buffer, items, out _));

        Assert.Equal(buffer.Length, length);
        Assert.Equal(new RecordHeader(length, RecordType.Events, id.Length, 3, 100, 7, 555, LogPosition.Create(3, 4096)), header);
        Assert.Equal([7L, 8L, 9L], items.Select(i => i.Version));
        Assert.Equal([100L, 101L, 102L], items.Select(i => i.Lsn));
        Assert.Equal(["a", "", "ccc"], items.Select(i => System.Text.Encoding.UTF8.GetString(i.Payload.Span)));
        Assert.Equal(9, header.LastVersion);
        Assert.Equal(102, header.LastLsn);
    }

    [Fact]
    public void CheckpointTombstoneAndRelocated_WriteThenDecode_RoundTrip()
    {
        byte[] id = "s"u8.ToArray();
        byte[] cp = new byte[RecordCodec.CheckpointSize(1, 5)];
        RecordCodec.WriteCheckpoint(cp, id, 9, 4, 77, LogPosition.None, "state"u8);
        byte[] tomb = new byte[RecordCodec.TombstoneSize(1)];
        RecordCodec.WriteTombstone(tomb, id, 10, 4, 78, LogPosition.Create(1, 64));
        RecordItem[] relocatedItems =
        [
            new(RecordType.Checkpoint, 4, 9, 77, "state"u8.ToArray()),
            new(RecordType.Events, 5, 11, 79, "e5"u8.ToArray()),
        ];
        byte[] reloc = new byte[RecordCodec.RelocatedSize(1, relocatedItems)];
        RecordCodec.WriteRelocated(reloc, id, 5, 80, relocatedItems);

        var decoded = new List<RecordItem>();
        foreach (byte[] record in new[] { cp, tomb, reloc })
        {
            Assert.True(RecordHeader.TryRead(record, record.Length, out var header, out _));
            Assert.True(RecordCodec.CrcMatches(record));
            Assert.True(RecordCodec.TryDecodeItems(header, record, decoded, out _));
        }

        Assert.Equal(RecordType.Checkpoint, decoded[0].Kind);
        Assert.Equal("state", System.Text.Encoding.UTF8.GetString(decoded[0].Payload.Span));
        Assert.Equal(new RecordItem(RecordType.Tombstone, 4, 10, 78, ReadOnlyMemory<byte>.Empty).Version, decoded[1].Version);
        Assert.Equal(RecordType.Tombstone, decoded[1].Kind);
        Assert.Equal([RecordType.Checkpoint, RecordType.Events], decoded.Skip(2).Select(i => i.Kind));
        Assert.Equal([9L, 11L], decoded.Skip(2).Select(i => i.Lsn));
        Assert.Equal([77L, 79L], decoded.Skip(2).Select(i => i.TimestampTicks));
    }

    [Fact]
    public void Record_EveryFlippedBit_FailsCrcOrHeader()
    {
        byte[] id = "stream"u8.ToArray();
        ReadOnlyMemory<byte>[] events = ["payload-1"u8.ToArray(), "payload-2"u8.ToArray()];
        byte[] record = new byte[RecordCodec.EventsSize(id.Length, events)];
        RecordCodec.WriteEvents(record, id, 1, 1, 1, LogPosition.None, events);
        for (int i = 0; i < record.Length * 8; i++)
        {
            byte[] copy = (byte[])record.Clone();
            copy[i / 8] ^= (byte)(1 << (i % 8));
            bool headerOk = RecordHeader.TryRead(copy, copy.Length, out var header, out _);
            bool valid = headerOk && header.Length == copy.Length && RecordCodec.CrcMatches(copy);
            Assert.False(valid, $"bit {i} flipped went undetected");
        }
    }

    [Fact]
    public void RecordHeader_HugeLengthField_IsRejectedWithoutAllocating()
    {
        byte[] record = new byte[RecordHeader.Size + 1];
        new RecordHeader(RecordHeader.Size + 1, RecordType.Tombstone, 1, 1, 1, 1, 1, LogPosition.None).Write(record);
        BinaryPrimitives.WriteInt32LittleEndian(record, int.MaxValue);

        Assert.False(RecordHeader.TryRead(record, 64 * 1024, out _, out string? reason));
        Assert.Contains("length", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void LogPosition_CreateThenSplit_RoundTrips()
    {
        long position = LogPosition.Create(uint.MaxValue - 1, int.MaxValue);
        Assert.Equal(uint.MaxValue - 1, LogPosition.Segment(position));
        Assert.Equal(int.MaxValue, LogPosition.Offset(position));
        Assert.NotEqual(LogPosition.None, position);
    }

    [Fact]
    public void Crc32C_KnownVector_MatchesStandard()
    {
        // The CRC-32C check value of "123456789" is 0xE3069283 (RFC 3720).
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }
}
