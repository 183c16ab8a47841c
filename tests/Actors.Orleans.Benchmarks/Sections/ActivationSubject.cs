using Actors.Orleans.Benchmarks.Variants;

namespace Actors.Orleans.Benchmarks.Sections;

/// <summary>
/// The grains whose activation is timed for one variant, and how their history is laid down: when
/// <paramref name="CheckpointFillerBytes"/> is positive, first one confirmed batch of two events, a filler of that many
/// bytes and a normal payload (the WAL replay provider's byte trigger then writes a checkpoint, whose view holds the
/// normal payload only); then <paramref name="LaterEvents"/> events in confirmed batches of <paramref name="LaterBatch"/>.
/// </summary>
/// <param name="Variant">The variant the row stands for.</param>
/// <param name="GrainType">The grain type used (it may differ from the variant's, to use another checkpoint trigger).</param>
/// <param name="History">How the history reads in the table.</param>
/// <param name="WalProvider">For the WAL: the log-consistency provider whose counters prove the layout (one checkpoint per
/// grain, exactly <paramref name="LaterEvents"/> events replayed per activation); null for the other stores.</param>
public sealed record ActivationSubject(
    BenchVariant Variant, string GrainType, int CheckpointFillerBytes, int LaterEvents, int LaterBatch, string History, string? WalProvider = null)
{
    /// <summary>Events in the checkpointed batch: the filler and a normal payload, or none.</summary>
    public int CheckpointEvents => CheckpointFillerBytes > 0 ? 2 : 0;

    public int ExpectedEvents => CheckpointEvents + LaterEvents;
}
