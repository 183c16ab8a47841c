namespace Actors.Wal.IO;

/// <summary>
/// A read-only <see cref="IWalFile"/> over bytes already in memory (a segment read whole by <c>LogBackup.Capture</c>), so
/// the readers that check files on disk check it the same way.
/// </summary>
internal sealed class MemoryWalFile(string path, ReadOnlyMemory<byte> content) : IWalFile
{
    /// <inheritdoc />
    public string Path { get; } = path;

    /// <inheritdoc />
    public long Length => content.Length;

    /// <inheritdoc />
    public int Read(long offset, Span<byte> buffer)
    {
        if (offset >= content.Length)
        {
            return 0;
        }

        var available = content.Span[(int)offset..];
        int count = Math.Min(available.Length, buffer.Length);
        available[..count].CopyTo(buffer);
        return count;
    }

    /// <inheritdoc />
    public void Write(long offset, ReadOnlySpan<byte> data) => throw ReadOnly();

    /// <inheritdoc />
    public void Flush()
    {
        // Nothing to flush: the file is read-only.
    }

    /// <inheritdoc />
    public void SetLength(long length) => throw ReadOnly();

    /// <inheritdoc />
    public void Dispose()
    {
        // Holds no handle.
    }

    private NotSupportedException ReadOnly() => new($"'{Path}' is a copy in memory, read-only.");
}
