using Actors.Storage;

namespace Actors.Persistence.Wal;

/// <summary>
/// The <see cref="IAtomicGrainStorage"/> of one write-ahead-log store: each grain's named states are records in the
/// grain's own stream (see <see cref="GrainStateStore"/>); several states of one grain can be written in one atomic
/// append. Registered as a keyed <see cref="IGrainStorage"/> under the store's name.
/// </summary>
/// <remarks>
/// Errors: a stale tag throws <see cref="InconsistentStateException"/> and a state that cannot be encoded or is too
/// large throws <see cref="StateRejectedException"/> (nothing stored in both cases); an I/O failure, a closed log or a
/// version conflict throws <see cref="GrainStorageFailedException"/> (outcome unknown: the runtime deactivates the
/// grain and the next activation reads the log again). Persistent states use the store's checkpoint defaults.
/// </remarks>
public sealed class WriteAheadLogGrainStorage : IAtomicGrainStorage
{
    private readonly GrainStateStore _states;

    /// <summary>Creates the storage over <paramref name="states"/>.</summary>
    public WriteAheadLogGrainStorage(GrainStateStore states)
    {
        ArgumentNullException.ThrowIfNull(states);
        _states = states;
    }

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        StateSnapshot snapshot = await _states.ReadAsync(grainId, stateName, typeof(T));
        grainState.State = snapshot.RecordExists ? (T)snapshot.State! : GrainState<T>.CreateDefault();
        grainState.ETag = snapshot.ETag;
        grainState.RecordExists = snapshot.RecordExists;
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStatesAsync(grainId, [new KeyValuePair<string, IGrainState>(stateName, grainState)]);

    /// <inheritdoc />
    public async Task WriteStatesAsync(GrainId grainId, IReadOnlyList<KeyValuePair<string, IGrainState>> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        StateChange[] changes = states.Select(s => new StateChange(s.Key, s.Value.StateType, s.Value.StateObject, s.Value.ETag, false)).ToArray();
        IReadOnlyList<string?> tags = await _states.WriteAsync(grainId, changes, _states.Store.Options.DefaultCheckpointPolicy);
        for (int i = 0; i < states.Count; i++)
        {
            states[i].Value.ETag = tags[i];
            states[i].Value.RecordExists = true;
        }
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        await _states.WriteAsync(grainId, [new StateChange(stateName, typeof(T), null, grainState.ETag, true)], _states.Store.Options.DefaultCheckpointPolicy);
        grainState.ETag = null;
        grainState.RecordExists = false;
    }
}
