namespace Actors.Benchmarks.Infrastructure;

/// <summary>
/// What the throughput driver runs: <see cref="Writers"/> concurrent writers, each appending
/// <see cref="PayloadBytes"/>-byte events to its own stream as fast as acknowledgements come back.
/// </summary>
/// <param name="Writers">Concurrent writers (each awaits its previous append before the next).</param>
/// <param name="PayloadBytes">Bytes per event.</param>
/// <param name="Warmup">Time run before measuring.</param>
/// <param name="Duration">The measured wall-clock window (used when <see cref="MeasuredOpsPerWriter"/> is null).</param>
/// <param name="MeasuredOpsPerWriter">When set, each writer runs this many measured ops after warm-up instead of a fixed window.</param>
internal sealed record Workload(int Writers, int PayloadBytes, TimeSpan Warmup, TimeSpan Duration, long? MeasuredOpsPerWriter = null);
