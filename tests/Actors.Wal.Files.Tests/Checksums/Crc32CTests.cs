using Actors.Checksums;

namespace Actors.Wal.Files.Tests.Checksums;

/// <summary>
/// The repository's one CRC32C (src/Actors.Wal.Files/Checksums/Crc32C.cs, used by both engines and Actors.Replication):
/// every on-disk and wire checksum depends on it staying the standard CRC32C.
/// </summary>
public sealed class Crc32CTests
{
    /// <summary>The published CRC32C check values (RFC 3720 appendix B.4, and the usual "123456789" check value).</summary>
    public static TheoryData<string, byte[], uint> StandardVectors => new()
    {
        { "empty", [], 0x00000000u },
        { "123456789", "123456789"u8.ToArray(), 0xE3069283u },
        { "32 zero bytes", new byte[32], 0x8A9136AAu },
        { "32 0xFF bytes", Enumerable.Repeat((byte)0xFF, 32).ToArray(), 0x62A8AB43u },
        { "32 ascending bytes", Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), 0x46DD794Eu },
        { "32 descending bytes", Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray(), 0x113FDB5Cu },
    };

    [Theory]
    [MemberData(nameof(StandardVectors))]
    public void Compute_StandardVector_MatchesPublishedCheckValue(string name, byte[] data, uint expected)
    {
        uint actual = Crc32C.Compute(data);

        Assert.True(expected == actual, $"{name}: expected 0x{expected:X8}, got 0x{actual:X8}");
    }

    [Fact]
    public void Update_EverySplitOfABuffer_EqualsComputeOfTheWhole()
    {
        // 45 bytes: every split exercises the 8-, 4- and 1-byte steps on both sides.
        byte[] data = new byte[45];
        new Random(11).NextBytes(data);
        uint whole = Crc32C.Compute(data);

        for (int split = 0; split <= data.Length; split++)
        {
            uint pieces = Crc32C.Finish(Crc32C.Update(Crc32C.Update(Crc32C.Seed, data.AsSpan(0, split)), data.AsSpan(split)));
            Assert.True(whole == pieces, $"split at {split}: expected 0x{whole:X8}, got 0x{pieces:X8}");
        }
    }

    [Fact]
    public void Compute_EveryLengthUpTo2400AtEveryAlignment_MatchesABitwiseReference()
    {
        // Past three large interleaved blocks (3 x 768 bytes): every mix of large blocks, small blocks (192 bytes) and the
        // one-chain tail, each starting at offsets 0-7 of the array.
        var random = new Random(13);
        byte[] buffer = new byte[2400 + 8];
        random.NextBytes(buffer);
        for (int length = 0; length <= 2400; length++)
        {
            for (int offset = 0; offset < 8; offset++)
            {
                ReadOnlySpan<byte> data = buffer.AsSpan(offset, length);

                uint expected = BitwiseCrc32C(data);
                uint actual = Crc32C.Compute(data);

                Assert.True(expected == actual, $"length {length} at offset {offset}: expected 0x{expected:X8}, got 0x{actual:X8}");
            }
        }
    }

    [Fact]
    public void Update_LongBufferInPiecesFromANonSeedRegister_EqualsOneChain()
    {
        // A running register that is neither the seed nor zero, fed 5,000 bytes in pieces that straddle the interleaved
        // block sizes: the register must be the one a byte-at-a-time chain gives.
        var random = new Random(17);
        byte[] data = new byte[5000];
        random.NextBytes(data);
        uint start = 0x9E3779B9u;
        uint oneChain = start;
        foreach (byte b in data)
        {
            oneChain = Crc32C.Update(oneChain, [b]);
        }

        foreach (int piece in new[] { 191, 192, 193, 767, 768, 769, 2304, 5000 })
        {
            uint register = start;
            for (int at = 0; at < data.Length; at += piece)
            {
                register = Crc32C.Update(register, data.AsSpan(at, Math.Min(piece, data.Length - at)));
            }

            Assert.True(oneChain == register, $"pieces of {piece}: expected 0x{oneChain:X8}, got 0x{register:X8}");
        }
    }

    /// <summary>CRC32C one bit at a time with the reflected Castagnoli polynomial: slow, and independent of the hardware path.</summary>
    private static uint BitwiseCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
