using Actors.Wal.Segments;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>
/// What an append overlapped, from the store's <see cref="Peers.IAppendTarget.Phase"/> read before and after it; each
/// append is counted in the first class that applies, in this order.
/// </summary>
internal enum AppendPhase
{
    /// <summary>The writer switched segments while the append was in flight (it shared the seal's sync, or waited for a spare).</summary>
    Rotation,

    /// <summary>A spare was being prepared (zero-filled, given a header, synced, listed) before or after the append.</summary>
    SparePreparation,

    /// <summary>A manifest write (temp file, fsync, rename, directory fsync) was under way before or after the append.</summary>
    ManifestWrite,

    /// <summary>None of the above (snapshots and space passes of the maintenance thread are not told apart: they land here).</summary>
    Other,
}

/// <summary>Classifies an append by the phase stamps read before and after it.</summary>
internal static class AppendPhases
{
    /// <summary>The number of classes.</summary>
    public const int Count = 4;

    /// <summary>The class of an append that started at phase stamp <paramref name="before"/> and ended at <paramref name="after"/>.</summary>
    public static AppendPhase Classify(long before, long after)
    {
        if ((before >> 8) != (after >> 8))
        {
            return AppendPhase.Rotation;
        }

        long flags = (before | after) & 0xFF;
        return (flags & SegmentManager.PreparingSpareActivity) != 0 ? AppendPhase.SparePreparation
            : (flags & SegmentManager.WritingManifestActivity) != 0 ? AppendPhase.ManifestWrite
            : AppendPhase.Other;
    }

    /// <summary>The label of a class in reports.</summary>
    public static string Label(AppendPhase phase) => phase switch
    {
        AppendPhase.Rotation => "spanned a segment switch",
        AppendPhase.SparePreparation => "beside a spare's preparation (zero-fill, header, fsyncs, manifest)",
        AppendPhase.ManifestWrite => "beside a manifest write",
        _ => "other (maintenance not told apart)",
    };
}
