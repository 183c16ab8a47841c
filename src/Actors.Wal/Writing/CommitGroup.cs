using System.Runtime.CompilerServices;
using Actors.Wal.Segments;

namespace Actors.Wal.Writing;

/// <summary>
/// What the writer hands to the committer after framing one group: the framed bytes and where each run of them goes
/// (<see cref="Spans"/>: the committer writes them), the requests in log order and, per segment, the offset the group's
/// bytes end at (the committer fdatasyncs each up to there, in order).
/// </summary>
/// <remarks>
/// Ownership: the writer fills a group (frames into its <see cref="Buffer"/>) and posts it; from then on only the
/// committer reads it, and it returns the group to the writer's pool when done. A group is reused with its buffer, so
/// nothing in it may be kept after that.
/// </remarks>
internal sealed class CommitGroup : IHandOffItem<CommitGroup>
{
    /// <summary>
    /// The size of a group's own framing buffer: most groups are small (the committer's lingering takes a group per few
    /// requests, and under load dozens are in flight), so a new group costs little; a group that outgrows it frames into
    /// one of the writer's larger buffers (<see cref="FramingBuffers"/>) until it is returned.
    /// </summary>
    public const int InitialBufferBytes = 16 * 1024;

    /// <summary>Creates a group framing into a buffer of its own of <see cref="InitialBufferBytes"/>.</summary>
    public CommitGroup()
    {
        InitialBuffer = new byte[InitialBufferBytes];
        Buffer = InitialBuffer;
    }

    /// <summary>
    /// The framed bytes of the group (<see cref="Spans"/> say which part goes where): <see cref="InitialBuffer"/>, or a
    /// larger one the writer gave it when the group outgrew it (<see cref="FramingBuffers"/>).
    /// </summary>
    public byte[] Buffer { get; set; }

    /// <summary>The group's own buffer, which it frames into again after it gives a larger one back.</summary>
    public byte[] InitialBuffer { get; }

    /// <summary>
    /// The runs of <see cref="Buffer"/> to write, in order: the segment, the file offset, and the run's start and length
    /// in the buffer. Runs follow each other in the buffer; two runs in one segment are contiguous in the file.
    /// </summary>
    public List<(Segment Segment, long FileOffset, int Start, int Length)> Spans { get; } = [];

    /// <summary>The requests, in the order their records were written (flushes and barriers included).</summary>
    public List<LogRequest> Requests { get; } = [];

    /// <summary>Per segment written (in order): the segment and the end of the group's bytes in it.</summary>
    public List<(Segment Segment, long End)> Writes { get; } = [];

    /// <summary>Records framed in the group.</summary>
    public int Records { get; set; }

    /// <summary>Bytes written.</summary>
    public long Bytes { get; set; }

    /// <summary>The LSN of the group's last record (or the last LSN before it when it wrote none).</summary>
    public long LastLsn { get; set; }

    /// <summary>The group must be fsynced whatever the policy (a flush, a seal before rotation).</summary>
    public bool ForceSync { get; set; }

    /// <summary>The writer asks the committer to demote the index once everything before is applied.</summary>
    public bool Demote { get; set; }

    /// <summary>Set by the committer when a requested demotion is done.</summary>
    public ManualResetEventSlim? DemoteDone { get; set; }

    /// <summary>When the group was written (stopwatch ticks).</summary>
    public long WrittenAt { get; set; }

    /// <inheritdoc />
    public CommitGroup? Next { get; set; }

    /// <inheritdoc />
    public bool IsCloseMarker { get; init; }

    /// <summary>The larger buffer the group framed into, if any (the group is back on its own); null when it used its own.</summary>
    public byte[]? TakeGrownBuffer()
    {
        if (ReferenceEquals(Buffer, InitialBuffer))
        {
            return null;
        }

        byte[] grown = Buffer;
        Buffer = InitialBuffer;
        return grown;
    }

    /// <summary>Clears the group for reuse (the buffer it frames into is left as it is: see <see cref="TakeGrownBuffer"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Reset()
    {
        Requests.Clear();
        Writes.Clear();
        Spans.Clear();
        Records = 0;
        Bytes = 0;
        LastLsn = 0;
        ForceSync = false;
        Demote = false;
        DemoteDone = null;
        Next = null;
    }
}
