namespace Actors.Replication.Configuration;

/// <summary>The outcome of a conditional configuration write.</summary>
/// <param name="Applied">True when the store held the expected version and now holds the proposal.</param>
/// <param name="Current">What the store holds after the attempt (the proposal when applied).</param>
public readonly record struct ConfigurationWriteResult(bool Applied, ReplicaConfiguration Current);
