namespace Actors.Testing.PowerCut;

/// <summary>The per-file state of the simulated disk.</summary>
public sealed partial class SimulatedDisk
{
    private sealed class Inode(int id, byte[] content)
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

    /// <summary>A growable byte buffer to rebuild a file from its durable content plus some pending operations.</summary>
    private sealed class FileBuffer(byte[] initial)
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
}
