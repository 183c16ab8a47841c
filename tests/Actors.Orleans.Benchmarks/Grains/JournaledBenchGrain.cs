using Orleans.EventSourcing;

namespace Actors.Orleans.Benchmarks.Grains;

/// <summary>
/// A journaled grain whose every call raises one event and awaits <c>ConfirmEvents</c>, so the call returns only after
/// the log-consistency provider has stored the event. Subclasses pick the provider with attributes.
/// </summary>
public abstract class JournaledBenchGrain : JournaledGrain<JournalState, PayloadWritten>, IBenchGrain
{
    public async Task Write(byte[] payload)
    {
        RaiseEvent(new PayloadWritten { Payload = payload });
        await ConfirmEvents();
    }

    public async Task<int> AddHistory(byte[] payload, int events, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        for (int added = 0; added < events; added += batch)
        {
            int count = Math.Min(batch, events - added);
            RaiseEvents(Enumerable.Range(0, count).Select(_ => new PayloadWritten { Payload = payload }));
            await ConfirmEvents();
        }

        return Version;
    }

    public async Task<int> AddBatch(IReadOnlyList<byte[]> payloads)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        RaiseEvents(payloads.Select(p => new PayloadWritten { Payload = p }));
        await ConfirmEvents();
        return Version;
    }

    public Task<long> Writes() => Task.FromResult(State.Events);

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
