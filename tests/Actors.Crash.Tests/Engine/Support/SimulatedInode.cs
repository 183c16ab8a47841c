namespace Actors.Crash.Tests.Engine.Support;

/// <summary>
/// One file (inode) of <see cref="SimulatedDisk"/>: its durable content (what the last fsync covered), its live content
/// (durable plus every operation applied since) and the operations not yet synced. Owned by one disk, which guards it
/// with its lock; not thread-safe on its own.
/// </summary>
internal sealed class SimulatedInode(int id, byte[] content)
{
    public int Id { get; } = id;

    public byte[] Durable { get; set; } = content;

    public byte[] Live { get; private set; } = (byte[])content.Clone();

    public long LiveLength { get; private set; } = content.Length;

    public List<DiskOp> Pending { get; } = [];

    public bool Poisoned { get; set; }

    public void ApplyLive(DiskOp op)
    {
        long end = op.Kind == DiskOpKind.Write ? op.Offset + op.Data!.Length : op.Offset;
        if (end > Live.Length)
        {
            var bigger = new byte[Math.Max(end, Live.Length * 2L)];
            Live.AsSpan(0, (int)LiveLength).CopyTo(bigger);
            Live = bigger;
        }

        if (op.Kind == DiskOpKind.Write)
        {
            if (op.Offset > LiveLength)
            {
                Live.AsSpan((int)LiveLength, (int)(op.Offset - LiveLength)).Clear();
            }

            op.Data.CopyTo(Live.AsSpan((int)op.Offset));
            LiveLength = Math.Max(LiveLength, end);
        }
        else
        {
            if (end > LiveLength)
            {
                Live.AsSpan((int)LiveLength, (int)(end - LiveLength)).Clear();
            }

            LiveLength = end;
        }
    }
}
