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
    public async ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = await RandomAccess.ReadAsync(_handle, buffer[total..], offset + total, cancellationToken).ConfigureAwait(false);
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
    /// <remarks>On Linux pwritev(2) through <see cref="NativeMethods.WriteGathered"/>, which allocates nothing per call.</remarks>
    public void WriteGathered(long offset, IReadOnlyList<ReadOnlyMemory<byte>> buffers)
    {
        if (buffers.Count == 1)
        {
            RandomAccess.Write(_handle, buffers[0].Span, offset);
        }
        else if (OperatingSystem.IsLinux())
        {
            NativeMethods.WriteGathered(_handle, Path, buffers, offset);
        }
        else
        {
            RandomAccess.Write(_handle, buffers, offset);
        }
    }

    /// <inheritdoc />
    public void Flush() => RandomAccess.FlushToDisk(_handle);

    /// <inheritdoc />
    /// <remarks>
    /// On Linux this is fdatasync(2): per the man page it skips metadata "not needed in order to allow a subsequent
    /// data retrieval" (mtime, atime) but does flush a changed file size and block allocation, so it is correct for
    /// appends that grow the file as well as for writes into preallocated space. Elsewhere a full flush.
    /// </remarks>
    public void FlushData()
    {
        if (OperatingSystem.IsLinux())
        {
            NativeMethods.Fdatasync(_handle, Path);
        }
        else
        {
            RandomAccess.FlushToDisk(_handle);
        }
    }

    /// <inheritdoc />
    public void SetLength(long length) => RandomAccess.SetLength(_handle, length);

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
