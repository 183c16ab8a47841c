namespace Actors.Replication.Tests.Simulation;

/// <summary>An invariant of the protocol failed in a simulated run.</summary>
public sealed class SimulationViolationException(string message) : Exception(message);
