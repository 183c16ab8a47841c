using Actors.Wal.Segments;

namespace Actors.Wal.Reading;

/// <summary>Reads ranges of one segment file through a reusable window (maintenance thread, one segment at a time).</summary>
internal sealed class SegmentWindowReader(Segment segment, byte[] window)
{
    private long _start = -1;
    private int _length;

    public byte[] Window { get; private set; } = window;

    public long FileLength { get; } = segment.File.Length;

    /// <summary>The bytes [offset, offset + count), or fewer at the end of the file; valid until the next call.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReadAsync(long offset, int count, CancellationToken cancellationToken)
    {
        if (_start < 0 || offset < _start || offset + count > _start + _length)
        {
            if (count > Window.Length)
            {
                Window = new byte[count];
            }

            int size = (int)Math.Min(Window.Length, Math.Max(0, FileLength - offset));
            int read = 0;
            while (read < size)
            {
                int n = await segment.File.ReadAsync(offset + read, Window.AsMemory(read, size - read), cancellationToken).ConfigureAwait(false);
                if (n <= 0)
                {
                    break;
                }

                read += n;
            }

            (_start, _length) = (offset, read);
        }

        return Window.AsMemory((int)(offset - _start), (int)Math.Min(count, _start + _length - offset));
    }
}
