using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Actors.Checksums;

/*
 * The one CRC32C (Castagnoli, reflected polynomial 0x82F63B78) of the repository, owned by the engines' low layer
 * (Actors.Wal.Files) because every checksummed format sits above it: the event log's records, segment headers and
 * metadata files (Actors.Wal), the entry logs and their journal (Actors.Wal.Entries) and replication messages
 * (Actors.Replication, which references this low layer and not the log engines). Before the engine split this file
 * was compiled into each of those assemblies as an internal copy.
 *
 * Standard CRC32C: register starts at 0xFFFFFFFF, the result is the register's complement; the check value of
 * "123456789" is 0xE3069283 (RFC 3720, appendix B.4). Changing it changes every on-disk and wire checksum.
 */

/// <summary>CRC32C (Castagnoli) over spans, hardware-accelerated through <see cref="BitOperations.Crc32C(uint, ulong)"/>.</summary>
/// <remarks>
/// Stateless and thread-safe. A running register is a plain <see cref="uint"/> the caller owns. Every on-disk and wire
/// checksum of the repository is this function: its result for given bytes never changes (the check value above is a
/// test in tests/Actors.Wal.Files.Tests/Checksums/Crc32CTests.cs).
/// </remarks>
public static class Crc32C
{
    /// <summary>The initial register value; pass it to the first <see cref="Update"/> and <see cref="Finish"/> the result.</summary>
    public const uint Seed = 0xFFFFFFFFu;

    /// <summary>The shortest buffer <see cref="Update"/> feeds in three interleaved lanes when the processor computes CRC32C in hardware.</summary>
    internal const int InterleavedBytes = 3 * Crc32CShift.SmallLaneBytes;

    /// <summary>
    /// True when the processor computes CRC32C in hardware (interleaving lanes pays only then). A property, not a static
    /// field: the JIT folds it into a constant even in code compiled before this class is initialized.
    /// </summary>
    private static bool IsAccelerated => Sse42.X64.IsSupported || Crc32.Arm64.IsSupported;

    /// <summary>Feeds <paramref name="data"/> into a running (not yet finished) CRC register.</summary>
    /// <returns>
    /// The register after <paramref name="data"/>: the same for any split of a buffer into pieces, and the same as one
    /// chain of CRC32C steps over it (a test compares every length up to 2,400 bytes against a bitwise reference).
    /// </returns>
    /// <remarks>
    /// Where the processor computes CRC32C in hardware, buffers of <see cref="InterleavedBytes"/> bytes or more are fed in
    /// three independent lanes whose registers are then joined (<see cref="Crc32CShift"/>): the lanes' steps overlap in
    /// the processor instead of each waiting for the one before.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        if (data.Length >= InterleavedBytes && IsAccelerated)
        {
            crc = UpdateInterleaved(crc, data, out int fed);
            data = data[fed..];
        }

        return UpdateOneChain(crc, data);
    }

    /// <summary>Finishes a running register into the checksum value.</summary>
    public static uint Finish(uint crc) => ~crc;

    /// <summary>The CRC32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Seed, data));

    /// <summary>The CRC32C of the whole content of the file at <paramref name="path"/>, read in 64 KiB pieces.</summary>
    /// <exception cref="IOException">The file cannot be opened or read (<see cref="FileNotFoundException"/> when it is missing).</exception>
    public static uint OfFile(string path)
    {
        using FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        byte[] buffer = new byte[1 << 16];
        uint crc = Seed;
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            crc = Update(crc, buffer.AsSpan(0, read));
        }

        return Finish(crc);
    }

    /// <summary>Feeds <paramref name="data"/> in one chain: 8 bytes per step, then 4, then single bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    private static uint UpdateOneChain(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        if (data.Length >= 4)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    /// <summary>Feeds the longest prefix of <paramref name="data"/> that fills whole three-lane blocks (<paramref name="fed"/> bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint UpdateInterleaved(uint crc, ReadOnlySpan<byte> data, out int fed)
    {
        int at = 0;
        while (data.Length - at >= 3 * Crc32CShift.LargeLaneBytes)
        {
            crc = ThreeLanes(crc, data[at..], Crc32CShift.LargeLaneBytes, Crc32CShift.Large);
            at += 3 * Crc32CShift.LargeLaneBytes;
        }

        while (data.Length - at >= 3 * Crc32CShift.SmallLaneBytes)
        {
            crc = ThreeLanes(crc, data[at..], Crc32CShift.SmallLaneBytes, Crc32CShift.Small);
            at += 3 * Crc32CShift.SmallLaneBytes;
        }

        fed = at;
        return crc;
    }

    /// <summary>
    /// The register after the first 3 x <paramref name="lane"/> bytes of <paramref name="data"/>: the first lane continues
    /// <paramref name="crc"/>, the other two start at 0, and since the register is linear in its start and its data,
    /// crc(A B C) = shift(shift(crc(A)) ^ crc0(B)) ^ crc0(C), a shift being <paramref name="lane"/> zero bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint ThreeLanes(uint crc, ReadOnlySpan<byte> data, int lane, Crc32CShift shift)
    {
        ref byte first = ref MemoryMarshal.GetReference(data[..(3 * lane)]);
        uint second = 0;
        uint third = 0;
        for (int i = 0; i < lane; i += 8)
        {
            crc = BitOperations.Crc32C(crc, ReadLittleEndian(ref Unsafe.Add(ref first, i)));
            second = BitOperations.Crc32C(second, ReadLittleEndian(ref Unsafe.Add(ref first, lane + i)));
            third = BitOperations.Crc32C(third, ReadLittleEndian(ref Unsafe.Add(ref first, (2 * lane) + i)));
        }

        return shift.Apply(shift.Apply(crc) ^ second) ^ third;
    }

    private static ulong ReadLittleEndian(ref byte source)
    {
        ulong value = Unsafe.ReadUnaligned<ulong>(ref source);
        return BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);
    }
}
