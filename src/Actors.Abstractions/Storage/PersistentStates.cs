namespace Actors.Storage;

/// <summary>Operations over several persistent states of one grain.</summary>
public static class PersistentStates
{
    /// <summary>
    /// Writes several named states of the calling grain in one atomic batch: all are stored or none. The states must
    /// belong to the same activation and use the same store, and that store must implement
    /// <see cref="IAtomicGrainStorage"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No states, states of different grains or stores, duplicate names, or a state not created by the runtime.</exception>
    /// <exception cref="NotSupportedException">The store cannot write atomically.</exception>
    /// <exception cref="InconsistentStateException">A state's ETag is stale; nothing was written.</exception>
    public static async Task WriteAllAsync(params IPersistentState[] states)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Length == 0)
        {
            throw new ArgumentException("At least one state is required.", nameof(states));
        }

        var bridges = new List<IAtomicWritable>(states.Length);
        foreach (IPersistentState state in states)
        {
            bridges.Add(state as IAtomicWritable
                ?? throw new ArgumentException($"State '{state?.Name}' was not injected by the Actors runtime.", nameof(states)));
        }

        IAtomicWritable first = bridges[0];
        if (bridges.Any(b => b.GrainId != first.GrainId || b.StoreName != first.StoreName))
        {
            throw new ArgumentException("An atomic write needs states of one grain in one store; got " +
                string.Join(", ", bridges.Select(b => $"'{b.Name}' of {b.GrainId} in store '{b.StoreName}'")) + ".", nameof(states));
        }

        if (bridges.Select(b => b.Name).Distinct(StringComparer.Ordinal).Count() != bridges.Count)
        {
            throw new ArgumentException("An atomic write needs distinct state names.", nameof(states));
        }

        if (first.Storage is not IAtomicGrainStorage atomic)
        {
            throw new NotSupportedException($"Store '{first.StoreName}' ({first.Storage.GetType().FullName}) cannot write several states atomically.");
        }

        try
        {
            await atomic.WriteStatesAsync(first.GrainId, bridges.Select(b => new KeyValuePair<string, IGrainState>(b.Name, b.RawState)).ToArray());
        }
        catch (Exception ex) when (ex is not (InconsistentStateException or StateRejectedException))
        {
            first.OnUncertainFailure(ex, "WriteAllAsync");
            throw;
        }
    }
}
