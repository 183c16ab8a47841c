using Actors.Orleans.Benchmarks.Variants;

namespace Actors.Orleans.Benchmarks.Sections;

/// <summary>
/// The grains whose activation is timed for one variant, and how their history is laid down: <paramref name="CheckpointEvents"/>
/// events in one confirmed batch (the WAL's provider checkpoints after them), then <paramref name="LaterEvents"/> events in
/// confirmed batches of <paramref name="LaterBatch"/>.
/// </summary>
/// <param name="Variant">The variant the row stands for.</param>
/// <param name="GrainType">The grain type used (it may differ from the variant's to use another checkpoint interval).</param>
/// <param name="History">How the history reads in the table.</param>
/// <param name="WalProvider">For the WAL: the log-consistency provider whose counters prove the layout (one checkpoint per
/// grain, exactly <paramref name="LaterEvents"/> events replayed per activation); null for the other stores.</param>
public sealed record ActivationSubject(
    BenchVariant Variant, string GrainType, int CheckpointEvents, int LaterEvents, int LaterBatch, string History, string? WalProvider = null)
{
    public int ExpectedEvents => CheckpointEvents + LaterEvents;
}
