namespace Actors.Hosting.Tests.Metrics;

/// <summary>
/// Tests that read the values of process-wide metrics run alone (after the parallel collections): a
/// <see cref="System.Diagnostics.Metrics.MeterListener"/> sees every silo in the process, and an up-down counter such
/// as <c>actors.activations.count</c> receives the decrements of activations that other tests' silos created before
/// the listener started, so concurrent silos make its value meaningless (the scope is documented on MetricsCollector).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMetricsCollection
{
    public const string Name = "Process metrics (runs alone: reads process-wide instrument values)";
}
