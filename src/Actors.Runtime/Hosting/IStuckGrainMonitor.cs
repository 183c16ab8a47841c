namespace Actors.Hosting;

/// <summary>
/// What the silo's stuck-grain detector sees: calls whose turn has run, or which have waited in their activation's
/// queue, longer than <see cref="SiloOptions.StuckCallThreshold"/>. Health checks and dashboards read it; the detector
/// also logs each such call once and counts it in <c>actors.grains.stuck</c>.
/// </summary>
/// <remarks>Thread-safe. Registered as a singleton by <see cref="SiloRuntimeServiceCollectionExtensions.AddActorsRuntime"/>.</remarks>
public interface IStuckGrainMonitor
{
    /// <summary>The configured threshold.</summary>
    TimeSpan Threshold { get; }

    /// <summary>How many stuck calls were detected since the silo started.</summary>
    long Detections { get; }

    /// <summary>The calls that are stuck now (as of the detector's last check, which runs every few hundred milliseconds to a second).</summary>
    IReadOnlyList<StuckGrainCall> GetStuckCalls();
}
