namespace Actors.Wal.Maintenance;

/// <summary>What one space pass covers of the erase work (erasure scans and segments an erase marked).</summary>
/// <param name="Requested">The pass is a <see cref="WriteAheadLog.CompactAsync"/>.</param>
/// <param name="ErasePass">The pass is the erase pass: its window elapsed, or the open found erase work left over.</param>
/// <param name="DeferErased">An erase window was open when the pass started: the erase work waits for the erase pass.</param>
internal readonly record struct SpacePassScope(bool Requested, bool ErasePass, bool DeferErased)
{
    /// <summary>The pass runs the pending erasure scans and compacts the marked segments it finds.</summary>
    public bool HandlesErased => Requested || ErasePass || !DeferErased;

    /// <summary>
    /// The pass removes every erased record from the files: it seals a marked active segment first and compacts in rounds
    /// until no segment marked before it started remains (the other passes take one round of sealed segments).
    /// </summary>
    public bool RemovesAllErased => Requested || ErasePass;
}
