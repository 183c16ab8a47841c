using Actors.Checksums;

namespace Actors.Cluster.Tests.Storage;

/// <summary>
/// The checksum a partition transfer lists for each file (src/Actors.Wal.Files/Checksums/Crc32C.cs, the repository's one): the
/// standard CRC32C of the file's bytes, whatever the read buffer's size, so sender and receiver of any version agree.
/// </summary>
public sealed class PartitionFileChecksumTests
{
    [Fact]
    public void OfFile_FileOfCheckBytesSpanningReadBuffers_EqualsTheStandardValueOfItsBytes()
    {
        // 32 zero bytes have the published CRC32C 0x8A9136AA (RFC 3720 B.4); a file of more than one 64 KiB read
        // must give the CRC of all its bytes, not of the last read.
        string path = Path.Combine(Path.GetTempPath(), "actors-partition-crc-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllBytes(path, new byte[32]);
            Assert.Equal(0x8A9136AAu, Crc32C.OfFile(path));

            byte[] data = new byte[(1 << 16) + 100];
            new Random(5).NextBytes(data);
            File.WriteAllBytes(path, data);
            Assert.Equal(Crc32C.Compute(data), Crc32C.OfFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
