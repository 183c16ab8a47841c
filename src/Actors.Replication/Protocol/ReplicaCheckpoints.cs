using Actors.Replication.Log;

namespace Actors.Replication.Protocol;

/// <summary>
/// A replica's checkpoints: the durable one its log starts at, and the one being written (at most one) with the token
/// its completion carries.
/// </summary>
/// <remarks>
/// Contract: <see cref="Durable"/> changes only through <see cref="Replace"/>, which the replica calls after deleting
/// the prefix a written checkpoint covers or after installing a transferred one, so its offset is always the log's start
/// offset. A write is begun only while none is under way and completes once, with the token it was begun with.
/// Not thread-safe: the replica's driver thread uses it.
/// </remarks>
/// <param name="durable">The durable checkpoint the log starts at when the replica starts.</param>
internal sealed class ReplicaCheckpoints(ReplicaCheckpoint durable)
{
    private ReplicaCheckpoint? _writing;
    private long _writingToken;

    /// <summary>The durable checkpoint the log starts at.</summary>
    public ReplicaCheckpoint Durable { get; private set; } = durable;

    /// <summary>Whether a checkpoint write has been begun and not completed.</summary>
    public bool IsWriting => _writing is not null;

    /// <summary>Records that <paramref name="checkpoint"/> is being written; its completion will carry <paramref name="token"/>.</summary>
    /// <exception cref="InvalidOperationException">A write is already under way.</exception>
    public void BeginWrite(ReplicaCheckpoint checkpoint, long token)
    {
        if (_writing is not null)
        {
            throw new InvalidOperationException(
                $"A checkpoint write at {_writing.Offset} (token {_writingToken}) is under way; another at {checkpoint.Offset} was begun.");
        }

        _writing = checkpoint;
        _writingToken = token;
    }

    /// <summary>
    /// Ends the write under way when <paramref name="token"/> is its token, giving the checkpoint written; false (nothing
    /// changed) when no write is under way or the token is another's.
    /// </summary>
    public bool TryCompleteWrite(long token, out ReplicaCheckpoint written)
    {
        if (_writing is not { } writing || token != _writingToken)
        {
            written = null!;
            return false;
        }

        _writing = null;
        written = writing;
        return true;
    }

    /// <summary>Makes <paramref name="checkpoint"/> the durable checkpoint the log now starts at.</summary>
    public void Replace(ReplicaCheckpoint checkpoint) => Durable = checkpoint;
}
