namespace Actors.Replication.Configuration;

/// <summary>
/// A linearizable home for a partition's <see cref="ReplicaConfiguration"/> (in the cluster: a row of the PostgreSQL
/// cluster table). Every write is conditional on the version the writer read.
/// </summary>
/// <remarks>
/// Linearizable means: each read or write takes effect at one instant between its call and its completion, and a
/// read returns the latest write that took effect before it. A write whose reply is lost may still have taken effect;
/// callers resolve that by reading until they see a version above the one they conditioned on.
/// </remarks>
public interface IReplicaConfigurationStore
{
    /// <summary>Reads the current configuration.</summary>
    ValueTask<ReplicaConfiguration> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="proposal"/> when the stored version equals <paramref name="expectedVersion"/> and the
    /// proposal's version is <paramref name="expectedVersion"/> + 1; otherwise changes nothing.
    /// </summary>
    ValueTask<ConfigurationWriteResult> TryWriteAsync(
        long expectedVersion, ReplicaConfiguration proposal, CancellationToken cancellationToken = default);
}
