using Microsoft.Win32.SafeHandles;

namespace Actors.Wal.IO;

/// <summary>A file on disk accessed with <see cref="RandomAccess"/>.</summary>
internal sealed class PhysicalFile : IWalFile
{
    private readonly SafeFileHandle _handle;

    /// <summary>Wraps an open handle.</summary>
    public PhysicalFile(string path, SafeFileHandle handle)
    {
        Path = path;
        _handle = handle;
    }

    /// <inheritdoc />
    public string Path { get; }

    /// <inheritdoc />
    public long Length => RandomAccess.GetLength(_handle);

    /// <inheritdoc />
    public int Read(long offset, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(_handle, buffer[total..], offset + total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    /// <inheritdoc />
    public void Write(long offset, ReadOnlySpan<byte> data) => RandomAccess.Write(_handle, data, offset);

    /// <inheritdoc />
    public void Flush() => RandomAccess.FlushToDisk(_handle);

    /// <inheritdoc />
    public void SetLength(long length) => RandomAccess.SetLength(_handle, length);

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
