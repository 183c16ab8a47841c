namespace Actors.Wal;

/// <summary>
/// A checkpoint deletion (<see cref="IEventLog.DeleteCheckpointsAsync"/>) that cannot be carried out, typically because the
/// stream's state could not be rebuilt without the checkpoint (the events it covers are no longer stored); nothing was
/// deleted.
/// </summary>
public sealed class CheckpointDeletionRejectedException : RequestRejectedException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointDeletionRejectedException(string streamId, CheckpointSelectionCriteria criteria, string reason)
        : base(streamId, $"Deleting the checkpoints of stream '{streamId}' ({criteria}) was rejected: {reason}. Nothing was deleted.")
    {
        Criteria = criteria;
        Reason = reason;
    }

    /// <summary>The selection the deletion named.</summary>
    public CheckpointSelectionCriteria Criteria { get; }

    /// <summary>Why it was rejected.</summary>
    public string Reason { get; }
}
