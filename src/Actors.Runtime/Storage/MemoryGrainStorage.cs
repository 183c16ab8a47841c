using Actors.Serialization;

namespace Actors.Storage;

/// <summary>
/// A volatile <see cref="IAtomicGrainStorage"/>: states live in silo memory (serialized copies, so a grain's later
/// mutations never leak into storage) until the silo stops. ETags are decimal counters per record.
/// </summary>
/// <remarks>Thread-safe. For tests and grains that need no durability.</remarks>
public sealed class MemoryGrainStorage(IGrainSerializer serializer) : IAtomicGrainStorage
{
    private readonly object _lock = new();
    private readonly Dictionary<(GrainId, string), (byte[] Data, long Version)> _records = [];
    private long _nextVersion;

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        lock (_lock)
        {
            if (_records.TryGetValue((grainId, stateName), out (byte[] Data, long Version) record))
            {
                grainState.State = (T)serializer.Deserialize(record.Data, typeof(T))!;
                grainState.ETag = Tag(record.Version);
                grainState.RecordExists = true;
            }
            else
            {
                grainState.State = GrainState<T>.CreateDefault();
                grainState.ETag = null;
                grainState.RecordExists = false;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => WriteStatesAsync(grainId, [new KeyValuePair<string, IGrainState>(stateName, grainState)]);

    /// <inheritdoc />
    public Task WriteStatesAsync(GrainId grainId, IReadOnlyList<KeyValuePair<string, IGrainState>> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var encoded = new byte[states.Count][];
        for (int i = 0; i < states.Count; i++)
        {
            IGrainState state = states[i].Value;
            try
            {
                encoded[i] = serializer.Serialize(state.StateObject, state.StateType);
            }
            catch (GrainSerializationException ex)
            {
                throw new StateRejectedException($"State '{states[i].Key}' of grain {grainId} cannot be serialized: {ex.Message}", ex);
            }
        }

        lock (_lock)
        {
            foreach ((string name, IGrainState state) in states)
            {
                CheckEtag(grainId, name, state.ETag);
            }

            for (int i = 0; i < states.Count; i++)
            {
                long version = ++_nextVersion;
                _records[(grainId, states[i].Key)] = (encoded[i], version);
                states[i].Value.ETag = Tag(version);
                states[i].Value.RecordExists = true;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        lock (_lock)
        {
            CheckEtag(grainId, stateName, grainState.ETag);
            _records.Remove((grainId, stateName));
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    private void CheckEtag(GrainId grainId, string stateName, string? presented)
    {
        string? stored = _records.TryGetValue((grainId, stateName), out (byte[] Data, long Version) record) ? Tag(record.Version) : null;
        if (!string.Equals(stored, presented, StringComparison.Ordinal))
        {
            throw new InconsistentStateException(
                $"State '{stateName}' of grain {grainId}: stored ETag '{stored ?? "(none)"}' differs from the presented ETag '{presented ?? "(none)"}'.",
                stored,
                presented);
        }
    }

    private static string Tag(long version) => version.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
