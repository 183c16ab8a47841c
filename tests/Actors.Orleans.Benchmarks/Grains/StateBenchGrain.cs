namespace Actors.Orleans.Benchmarks.Grains;

/// <summary>
/// A grain with one <c>IPersistentState</c> whose every call sets the payload and awaits <c>WriteStateAsync</c>.
/// Subclasses pick the storage provider with the <c>[PersistentState]</c> attribute on their constructor.
/// </summary>
public abstract class StateBenchGrain(IPersistentState<PayloadState> state) : Grain, IBenchGrain
{
    public async Task Write(byte[] payload)
    {
        state.State.Payload = payload;
        state.State.Writes++;
        await state.WriteStateAsync();
    }

    public Task<int> AddHistory(byte[] payload, int events, int batch) =>
        throw new NotSupportedException($"{GetType().Name} keeps one state, not a history of events");

    public Task<int> AddBatch(IReadOnlyList<byte[]> payloads) =>
        throw new NotSupportedException($"{GetType().Name} keeps one state, not a history of events");

    public Task<long> Writes() => Task.FromResult(state.State.Writes);

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
