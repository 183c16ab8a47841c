namespace Actors.Wal;

/// <summary>What a checkpoint write stored.</summary>
/// <param name="Version">The stream version the checkpoint covers.</param>
/// <param name="Lsn">The log sequence number of the checkpoint record.</param>
public readonly record struct CheckpointResult(long Version, long Lsn);
