namespace Actors.Wal.IO;

/// <summary>An open file with positional reads and writes. Thread-safe for concurrent positional reads.</summary>
public interface IWalFile : IDisposable
{
    /// <summary>The file's path.</summary>
    string Path { get; }

    /// <summary>The file's current length in bytes.</summary>
    long Length { get; }

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>; returns the bytes read (less at end of file).</summary>
    int Read(long offset, Span<byte> buffer);

    /// <summary>
    /// Reads up to <paramref name="buffer"/>.Length bytes at <paramref name="offset"/> without blocking the caller's thread
    /// (the operating system's asynchronous file read where there is one, else the thread pool); returns the bytes read.
    /// Defaults to <see cref="Read"/> (test file systems).
    /// </summary>
    ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read(offset, buffer.Span));

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/> (not durable until <see cref="Flush"/>).</summary>
    void Write(long offset, ReadOnlySpan<byte> data);

    /// <summary>
    /// Writes <paramref name="buffers"/> one after the other from <paramref name="offset"/> (a gather write: pwritev(2) on
    /// the physical file system, one system call for many buffers). Not durable until <see cref="Flush"/>. Defaults to one
    /// <see cref="Write(long, ReadOnlySpan{byte})"/> per buffer (test file systems).
    /// </summary>
    void WriteGathered(long offset, IReadOnlyList<ReadOnlyMemory<byte>> buffers)
    {
        foreach (var buffer in buffers)
        {
            Write(offset, buffer.Span);
            offset += buffer.Length;
        }
    }

    /// <summary>Makes every byte written so far durable (fsync). Never retried by the engine after a failure.</summary>
    void Flush();

    /// <summary>
    /// Makes the data written so far durable, and the metadata needed to read it back (the file size, allocated
    /// extents), but not timestamps: fdatasync(2) on Linux. Defaults to <see cref="Flush"/>. Never retried.
    /// </summary>
    void FlushData() => Flush();

    /// <summary>Truncates or extends the file.</summary>
    void SetLength(long length);
}
