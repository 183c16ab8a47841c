namespace Actors.Wal.Space;

/// <summary>Receives the changes of live bytes per segment that <see cref="Index.StreamEntry.Apply"/> computes.</summary>
internal interface ISpaceAccount
{
    /// <summary>Adds <paramref name="delta"/> (negative: records no longer needed) to the live bytes of <paramref name="segmentId"/>.</summary>
    void AddLive(uint segmentId, long delta);
}
