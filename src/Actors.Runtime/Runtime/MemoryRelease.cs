namespace Actors.Runtime;

/// <summary>
/// Gives memory back to the operating system after an idle-collection pass freed much of it. The garbage collector
/// only runs when something allocates, so an idle silo that just collected a million activations would otherwise keep
/// its peak resident size indefinitely.
/// </summary>
/// <remarks>
/// The blocking, decommitting collection costs a pause proportional to what is still live, so it is used only when
/// few activations remain (at most <see cref="CompactingLimit"/>); otherwise a background collection makes the memory
/// reusable without a long pause (the process then shrinks as later collections decommit free regions).
/// </remarks>
internal static class MemoryRelease
{
    /// <summary>The fewest activations a pass must collect before memory is released.</summary>
    public const int MinimumCollected = 10_000;

    /// <summary>The most live activations for which a blocking, compacting, decommitting collection is used.</summary>
    public const int CompactingLimit = 50_000;

    /// <summary>Whether a pass that collected <paramref name="collected"/> with <paramref name="remaining"/> left is worth a release.</summary>
    public static bool IsWorthwhile(int collected, int remaining) => collected >= MinimumCollected && collected >= (collected + remaining) / 10;

    /// <summary>Runs the collection suited to <paramref name="remaining"/> live activations.</summary>
    public static void Release(int remaining)
    {
        if (remaining <= CompactingLimit)
        {
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
        else
        {
            GC.Collect(2, GCCollectionMode.Optimized, blocking: false);
        }
    }
}
