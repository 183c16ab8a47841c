namespace Actors.Crash.Tests.Engine.Support;

/// <summary>
/// A growable byte buffer that rebuilds a file of <see cref="SimulatedDisk"/> from its durable content plus some pending
/// operations (a post-crash image); it owns a copy of the initial content, never the inode's.
/// </summary>
internal sealed class SimulatedFileBuffer(byte[] initial)
{
    private byte[] _bytes = (byte[])initial.Clone();

    public void Apply(DiskOp op, int keepBytes)
    {
        if (op.Kind == DiskOpKind.SetLength)
        {
            Array.Resize(ref _bytes, (int)op.Offset);
            return;
        }

        int n = Math.Min(keepBytes, op.Data!.Length);
        if (n <= 0)
        {
            return;
        }

        long end = op.Offset + n;
        if (end > _bytes.Length)
        {
            Array.Resize(ref _bytes, (int)end);
        }

        op.Data.AsSpan(0, n).CopyTo(_bytes.AsSpan((int)op.Offset));
    }

    public byte[] ToArray() => _bytes;
}
