namespace Actors.Wal.Inspection;

/// <summary>The recovery point recorded in a log's recovery snapshot (<c>index.snapshot</c>, or the <c>index.delta</c> that extends it).</summary>
/// <param name="Segment">The segment of the recovery point.</param>
/// <param name="Offset">Its offset: everything before it is reflected in the snapshot's index.</param>
/// <param name="CleanShutdown">True when the snapshot was written at a clean shutdown (the recovery point is then the end of the log).</param>
/// <param name="NextLsn">The next LSN the log would have assigned when the snapshot was written.</param>
/// <param name="IndexedStreams">How many streams the snapshot indexes.</param>
public sealed record InspectedRecoveryPoint(uint Segment, long Offset, bool CleanShutdown, long NextLsn, int IndexedStreams);
