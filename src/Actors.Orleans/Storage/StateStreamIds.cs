using Orleans.Runtime;

namespace Actors.Orleans.Storage;

/// <summary>
/// The state stream ids (<see cref="GrainStreamNames.StateUnder"/>) one grain storage provider used recently, so a grain that
/// writes again reuses its stream id instead of formatting a new string per call.
/// </summary>
/// <remarks>
/// Direct-mapped: a (state name, grain id) pair picks one of <see cref="Capacity"/> slots, a newer pair takes the slot of an
/// older one. A slot holds an immutable entry, replaced whole, and its id is returned only for the same state name and
/// grain id, so the id is always the one <see cref="GrainStreamNames.StateUnder"/> makes. Thread-safe.
/// </remarks>
internal sealed class StateStreamIds(string statePrefix)
{
    /// <summary>The slots: at most this many ids are kept (about 1 MB with ids of 100 characters).</summary>
    public const int Capacity = 4096;

    private readonly Entry?[] _slots = new Entry?[Capacity];

    /// <summary>The stream of state <paramref name="stateName"/> of grain <paramref name="grainId"/> under this provider's prefix.</summary>
    public string Get(string stateName, GrainId grainId)
    {
        var slot = (int)((uint)HashCode.Combine(stateName, grainId) % Capacity);
        if (Volatile.Read(ref _slots[slot]) is { } entry && entry.GrainId.Equals(grainId) && string.Equals(entry.StateName, stateName, StringComparison.Ordinal))
        {
            return entry.StreamId;
        }

        var streamId = GrainStreamNames.StateUnder(statePrefix, stateName, grainId);
        Volatile.Write(ref _slots[slot], new Entry(stateName, grainId, streamId));
        return streamId;
    }

    private sealed record Entry(string StateName, GrainId GrainId, string StreamId);
}
