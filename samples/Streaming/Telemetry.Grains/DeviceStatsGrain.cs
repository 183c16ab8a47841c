using Actors;
using Actors.Storage;
using Actors.Streams;

namespace Telemetry;

/// <summary>
/// Implicitly subscribed to every device stream: the first reading of device <c>d</c> activates the statistics grain
/// with key <c>d</c>. Delivery is at least once; the stored last sequence number makes counting exactly once.
/// </summary>
[ImplicitStreamSubscription(TelemetrySample.Namespace)]
public sealed class DeviceStatsGrain([PersistentState("stats")] IPersistentState<DeviceStats> stats)
    : Grain, IDeviceStatsGrain, IStreamSubscriptionObserver, IAsyncObserver<Reading>
{
    public Task<DeviceStats> GetStats() => Task.FromResult(stats.State);

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<Reading>().ResumeAsync(this);

    public async Task OnNextAsync(Reading item, StreamSequenceToken? token = null)
    {
        long sequence = token!.SequenceNumber;
        DeviceStats state = stats.State;
        if (sequence <= state.LastSequenceNumber)
        {
            state.DuplicatesSkipped++;
            return;
        }

        state.Contiguous &= sequence == state.LastSequenceNumber + 1;
        state.Count++;
        state.Sum += item.Value;
        state.Max = Math.Max(state.Max, item.Value);
        state.LastSequenceNumber = sequence;
        await stats.WriteStateAsync();
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
