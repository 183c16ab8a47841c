namespace Actors.Replication.Configuration;

/// <summary>
/// A linearizable configuration store in one process (tests, the simulator, a single machine): one lock orders every
/// read and write.
/// </summary>
public sealed class InMemoryReplicaConfigurationStore : IReplicaConfigurationStore
{
    private readonly Lock _lock = new();
    private ReplicaConfiguration _current;

    /// <summary>Creates the store holding <paramref name="initial"/>.</summary>
    public InMemoryReplicaConfigurationStore(ReplicaConfiguration initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _current = initial;
    }

    /// <summary>The configuration held now.</summary>
    public ReplicaConfiguration Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<ReplicaConfiguration> ReadAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(Current);

    /// <inheritdoc />
    public ValueTask<ConfigurationWriteResult> TryWriteAsync(
        long expectedVersion, ReplicaConfiguration proposal, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TryWrite(expectedVersion, proposal));

    /// <summary>The synchronous form of <see cref="TryWriteAsync"/> (the simulator applies writes at one instant).</summary>
    public ConfigurationWriteResult TryWrite(long expectedVersion, ReplicaConfiguration proposal)
    {
        ReplicaConfiguration.ValidateProposal(expectedVersion, proposal);
        lock (_lock)
        {
            if (_current.Version != expectedVersion)
            {
                return new ConfigurationWriteResult(false, _current);
            }

            _current = proposal;
            return new ConfigurationWriteResult(true, proposal);
        }
    }
}
