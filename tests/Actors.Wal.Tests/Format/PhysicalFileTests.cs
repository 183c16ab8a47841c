using Actors.Wal.IO;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Format;

public sealed class PhysicalFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void FlushData_AfterAppendAndPreallocatedWrites_SucceedsAndDataReadsBack()
    {
        string path = _dir.File("data.bin");
        using var file = PhysicalFileSystem.Instance.OpenFile(path, WalFileMode.CreateNew, preallocationSize: 8192);
        file.Write(0, [1, 2, 3]);
        file.FlushData(); // inside the preallocated size
        file.Write(10_000, [4]);
        file.FlushData(); // grows the file: fdatasync flushes the size change too

        Span<byte> head = stackalloc byte[3];
        Assert.Equal(3, file.Read(0, head));
        Assert.Equal([1, 2, 3], head.ToArray());
        Assert.Equal(10_001, file.Length);
    }

    [Fact]
    public void FlushData_AfterDispose_Throws()
    {
        var file = PhysicalFileSystem.Instance.OpenFile(_dir.File("data.bin"), WalFileMode.CreateNew);
        file.Dispose();

        Assert.Throws<ObjectDisposedException>(file.FlushData);
    }

    public void Dispose() => _dir.Dispose();
}
