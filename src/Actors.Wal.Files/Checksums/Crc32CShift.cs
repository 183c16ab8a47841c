using System.Numerics;

namespace Actors.Checksums;

/// <summary>
/// A CRC32C register advanced over a fixed number of zero bytes, as a table lookup: what <see cref="Crc32C.Update"/>
/// needs to join lanes it fed side by side. The register's update is linear over GF(2), so advancing it over n zero
/// bytes is a fixed 32 x 32 bit matrix, applied here one byte of the register at a time (four tables of 256 entries).
/// </summary>
/// <remarks>
/// The tables are built once from the register's own update (<see cref="BitOperations.Crc32C(uint, ulong)"/> over the
/// zero bytes, for each of the 32 one-bit registers), so they cannot disagree with it. Immutable after construction;
/// thread-safe.
/// </remarks>
internal sealed class Crc32CShift
{
    /// <summary>The lane length of the large blocks (three lanes: 768 bytes per block).</summary>
    public const int LargeLaneBytes = 256;

    /// <summary>The lane length of the small blocks (three lanes: 192 bytes per block).</summary>
    public const int SmallLaneBytes = 64;

    private readonly uint[] _table = new uint[4 * 256];

    private Crc32CShift(int zeroBytes)
    {
        Span<uint> columns = stackalloc uint[32];
        for (int bit = 0; bit < 32; bit++)
        {
            uint register = 1u << bit;
            for (int i = 0; i < zeroBytes; i += 8)
            {
                register = BitOperations.Crc32C(register, 0UL);
            }

            columns[bit] = register;
        }

        for (int part = 0; part < 4; part++)
        {
            for (int value = 0; value < 256; value++)
            {
                uint image = 0;
                for (int bit = 0; bit < 8; bit++)
                {
                    if ((value & (1 << bit)) != 0)
                    {
                        image ^= columns[(8 * part) + bit];
                    }
                }

                _table[(256 * part) + value] = image;
            }
        }
    }

    /// <summary>The shift over <see cref="LargeLaneBytes"/> zero bytes.</summary>
    public static Crc32CShift Large { get; } = new(LargeLaneBytes);

    /// <summary>The shift over <see cref="SmallLaneBytes"/> zero bytes.</summary>
    public static Crc32CShift Small { get; } = new(SmallLaneBytes);

    /// <summary>The register <paramref name="register"/> becomes after this shift's zero bytes.</summary>
    public uint Apply(uint register)
    {
        uint[] table = _table;
        return table[(byte)register]
            ^ table[256 + (byte)(register >> 8)]
            ^ table[512 + (byte)(register >> 16)]
            ^ table[768 + (register >> 24)];
    }
}
