namespace Actors.Runtime;

/// <summary>The names under which the runtime publishes its telemetry (for exporters and dashboards).</summary>
public static class RuntimeMeter
{
    /// <summary>The runtime's <see cref="System.Diagnostics.Metrics.Meter"/> name: activations, calls, queued requests.</summary>
    public const string Name = "Actors.Runtime";
}
