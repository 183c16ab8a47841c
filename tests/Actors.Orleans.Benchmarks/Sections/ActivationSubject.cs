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
public sealed record ActivationSubject(
    BenchVariant Variant, string GrainType, int CheckpointEvents, int LaterEvents, int LaterBatch, string History)
{
    public int ExpectedEvents => CheckpointEvents + LaterEvents;
}
