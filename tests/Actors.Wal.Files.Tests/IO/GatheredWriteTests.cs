using Actors.Wal.IO;

namespace Actors.Wal.Files.Tests.IO;

/// <summary>
/// <see cref="IWalFile.WriteGathered"/> on the physical file system (pwritev(2) on Linux): the engine's committer writes
/// every framed group of a commit with it, so each byte must land where the buffers' order says, whatever their count
/// (more than one system call's worth of buffers included) and sizes (empty ones included).
/// </summary>
public sealed class GatheredWriteTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "actors-wal-files-tests", Guid.NewGuid().ToString("N"));

    public GatheredWriteTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(2, 1)]
    [InlineData(7, 4096)]
    [InlineData(2500, 37)] // more buffers than one pwritev takes (IOV_MAX 1,024): several calls
    public void WriteGathered_ManyBuffers_FileHoldsThemInOrderAtTheOffset(int buffers, int maxBytes)
    {
        var random = new Random(buffers * 31 + maxBytes);
        var parts = Enumerable.Range(0, buffers).Select(i =>
        {
            byte[] part = new byte[i % 5 == 3 ? 0 : random.Next(1, maxBytes + 1)]; // every fifth buffer from the fourth is empty
            random.NextBytes(part);
            return part;
        }).ToList();
        byte[] expected = parts.SelectMany(p => p).ToArray();
        const long Offset = 12_345;
        string path = Path.Combine(_directory, "gathered.bin");

        using (var file = PhysicalFileSystem.Instance.OpenFile(path, WalFileMode.CreateNew))
        {
            file.WriteGathered(Offset, parts.Select(p => (ReadOnlyMemory<byte>)p).ToList());
        }

        byte[] actual = File.ReadAllBytes(path);
        Assert.Equal(Offset + expected.Length, actual.Length);
        Assert.True(actual.AsSpan(0, (int)Offset).IndexOfAnyExcept((byte)0) < 0, "bytes before the offset were written");
        int mismatch = actual.AsSpan((int)Offset).CommonPrefixLength(expected);
        Assert.True(mismatch == expected.Length, $"the file differs from the buffers at byte {mismatch} of {expected.Length}");
    }

    [Fact]
    public void WriteGathered_BuffersIntoTheMiddleOfAFile_LeavesTheBytesAroundThemAlone()
    {
        string path = Path.Combine(_directory, "middle.bin");
        byte[] before = Enumerable.Repeat((byte)0xAB, 100).ToArray();
        using (var file = PhysicalFileSystem.Instance.OpenFile(path, WalFileMode.CreateNew))
        {
            file.Write(0, before);
            file.WriteGathered(10, new ReadOnlyMemory<byte>[] { new byte[] { 1, 2 }, ReadOnlyMemory<byte>.Empty, new byte[] { 3 } });
        }

        byte[] actual = File.ReadAllBytes(path);
        Assert.Equal(100, actual.Length);
        Assert.Equal(new byte[] { 0xAB, 1, 2, 3, 0xAB }, actual[9..14]);
    }
}
