using Actors.Replication.Log;
using Actors.Replication.Messages;

namespace Actors.Replication.Wal.Checkpoints;

/// <summary>
/// Paces a leader's checkpoint transfers, one per follower: the protocol asks for the whole checkpoint again at every
/// heartbeat until the follower installed it (<see cref="Send"/>), but only a window of <see cref="WindowChunks"/>
/// chunks beyond the prefix the follower reported (<see cref="CheckpointChunkAccepted"/>, <see cref="OnAccepted"/>) is in
/// flight, the next chunks go as that prefix grows, and nothing is sent twice unless the reports stop moving for
/// <see cref="ResendAfter"/> (then it goes back to the reported prefix: a chunk was lost) or, once the follower reported
/// every byte, for <see cref="ResendAfter"/> x <see cref="InstallingResendFactor"/> (it is installing, or it restarted and
/// lost what it had: the whole checkpoint again).
/// </summary>
/// <remarks>
/// <para>Before (round 17), every heartbeat (50 ms by default) sent every chunk again while the follower assembled and
/// installed: a state of some hundred MB was encoded again and again on the leader's driver loop, filled the connection's
/// outbox (whose overflow drops every partition's messages to that silo) and still arrived only once.</para>
/// <para>A transfer with no report at all (a build without <see cref="CheckpointChunkAccepted"/>, or every report lost)
/// sends every chunk once per <see cref="ResendAfter"/>. Times are the caller's clock readings. Not thread-safe: the host's driver loop
/// owns it.</para>
/// </remarks>
internal sealed class CheckpointSender
{
    /// <summary>The default of <see cref="WindowChunks"/>: 16 chunks (4 MiB at the default chunk size).</summary>
    public const int DefaultWindowChunks = 16;

    /// <summary>How many times <see cref="ResendAfter"/> a follower that reported every byte gets before the whole checkpoint goes again.</summary>
    public const int InstallingResendFactor = 5;

    private readonly Dictionary<ReplicaId, Outgoing> _outgoing = [];

    /// <summary>The largest state slice per chunk, read when a transfer starts.</summary>
    public int ChunkBytes { get; set; } = CheckpointChunker.DefaultChunkBytes;

    /// <summary>Chunks sent beyond the follower's reported prefix, at most.</summary>
    public int WindowChunks { get; set; } = DefaultWindowChunks;

    /// <summary>How long a transfer whose reported prefix does not move waits before it goes back to that prefix.</summary>
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>Transfers this sender keeps (one per follower it last sent a checkpoint to).</summary>
    public int Transfers => _outgoing.Count;

    /// <summary>
    /// The protocol asks for <paramref name="install"/> to reach <paramref name="follower"/>: returns the chunks to send
    /// now (the first window of a new transfer; none while a transfer of the same checkpoint progresses; a window from the
    /// reported prefix when it stalled).
    /// </summary>
    public IReadOnlyList<CheckpointChunk> Send(ReplicaId follower, InstallCheckpoint install, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(install);
        if (!_outgoing.TryGetValue(follower, out var outgoing) || !outgoing.Carries(install))
        {
            outgoing = new Outgoing(install, [.. CheckpointChunker.Split(install, ChunkBytes)], ChunkBytes, now);
            _outgoing[follower] = outgoing;
            return NextWindow(outgoing);
        }

        var stalledFor = now - outgoing.LastProgress;
        if (outgoing.ReceivedPrefix >= outgoing.StateLength)
        {
            if (stalledFor < ResendAfter * InstallingResendFactor)
            {
                return [];
            }

            outgoing.ReceivedPrefix = 0;
        }
        else if (stalledFor < ResendAfter)
        {
            return [];
        }

        outgoing.LastProgress = now;
        if (!outgoing.Reported)
        {
            // Not one report for this transfer (a follower that does not report, or every report lost): a window from the
            // prefix would resend the first window forever, so every chunk goes, once per ResendAfter.
            outgoing.Next = outgoing.Chunks.Count;
            return outgoing.Chunks;
        }

        outgoing.Next = outgoing.IndexAt(outgoing.ReceivedPrefix);
        return NextWindow(outgoing);
    }

    /// <summary>A follower's report: returns the chunks its progress lets go now (none for a report of another transfer).</summary>
    public IReadOnlyList<CheckpointChunk> OnAccepted(CheckpointChunkAccepted accepted, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        if (!_outgoing.TryGetValue(accepted.From, out var outgoing) || !outgoing.Answers(accepted))
        {
            return [];
        }

        outgoing.Reported = true;
        if (accepted.ReceivedPrefix > outgoing.ReceivedPrefix)
        {
            outgoing.ReceivedPrefix = Math.Min(accepted.ReceivedPrefix, outgoing.StateLength);
            outgoing.LastProgress = now;
            outgoing.Next = Math.Max(outgoing.Next, outgoing.IndexAt(outgoing.ReceivedPrefix));
        }

        return NextWindow(outgoing);
    }

    /// <summary>
    /// Drops every transfer of a checkpoint other than <paramref name="current"/> (the replica replaced it: a follower
    /// still short of entries is asked the new one), so an old state is not kept alive for a transfer that is over.
    /// </summary>
    public void Retain(ReplicaCheckpoint current)
    {
        foreach (var follower in _outgoing.Where(o => !ReferenceEquals(o.Value.Checkpoint, current)).Select(o => o.Key).ToList())
        {
            _outgoing.Remove(follower);
        }
    }

    private List<CheckpointChunk> NextWindow(Outgoing outgoing)
    {
        var window = new List<CheckpointChunk>();
        var limit = (long)outgoing.ReceivedPrefix + ((long)WindowChunks * outgoing.ChunkBytes);
        while (outgoing.Next < outgoing.Chunks.Count && outgoing.Chunks[outgoing.Next].ChunkOffset < limit)
        {
            window.Add(outgoing.Chunks[outgoing.Next]);
            outgoing.Next++;
        }

        return window;
    }

    /// <summary>One transfer: its chunks (cut once), the prefix the follower reported, the next chunk not sent yet.</summary>
    private sealed class Outgoing(InstallCheckpoint install, List<CheckpointChunk> chunks, int chunkBytes, TimeSpan started)
    {
        public List<CheckpointChunk> Chunks { get; } = chunks;

        public int ChunkBytes { get; } = chunkBytes;

        public ReplicaCheckpoint Checkpoint => install.Checkpoint;

        public int StateLength => install.Checkpoint.State.Length;

        public int ReceivedPrefix { get; set; }

        /// <summary>Whether the follower reported on this transfer at least once.</summary>
        public bool Reported { get; set; }

        public int Next { get; set; }

        public TimeSpan LastProgress { get; set; } = started;

        private uint StateCrc => Chunks[0].StateCrc;

        /// <summary>The same checkpoint in the same epoch: the replica sends its one checkpoint object until it takes another.</summary>
        public bool Carries(InstallCheckpoint other) => other.Epoch == install.Epoch && ReferenceEquals(other.Checkpoint, install.Checkpoint);

        public bool Answers(CheckpointChunkAccepted accepted) =>
            accepted.Epoch == install.Epoch && accepted.CheckpointOffset == install.Checkpoint.Offset
            && accepted.CheckpointEpoch == install.Checkpoint.Epoch && accepted.StateCrc == StateCrc;

        /// <summary>The chunk holding state byte <paramref name="offset"/> (the count of chunks when it is the end).</summary>
        public int IndexAt(int offset) => Math.Min(offset / ChunkBytes, Chunks.Count);
    }
}
