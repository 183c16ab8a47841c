using Actors;
using Actors.Runtime;
using Actors.Storage;
using Actors.Streams;

namespace Telemetry;

/// <summary>
/// An explicit subscriber: <see cref="Watch"/> subscribes to a device's stream once; every later activation resumes its
/// subscriptions in <see cref="OnActivateAsync"/> (the Orleans pattern), so alerts keep coming after deactivation and
/// after a silo restart.
/// </summary>
public sealed class AlertGrain([PersistentState("alerts")] IPersistentState<AlertBook> book) : Grain, IAlertGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (string deviceId in book.State.Thresholds.Keys)
        {
            foreach (StreamSubscriptionHandle<Reading> handle in await StreamOf(deviceId).GetAllSubscriptionHandles())
            {
                await handle.ResumeAsync(new Observer(this, deviceId));
            }
        }
    }

    public async Task Watch(string deviceId, double threshold)
    {
        bool subscribed = book.State.Thresholds.ContainsKey(deviceId);
        book.State.Thresholds[deviceId] = threshold;
        await book.WriteStateAsync();
        if (!subscribed)
        {
            await StreamOf(deviceId).SubscribeAsync(new Observer(this, deviceId));
        }
    }

    public Task<List<Alert>> GetAlerts() => Task.FromResult(book.State.Alerts);

    private IAsyncStream<Reading> StreamOf(string deviceId)
        => this.GetStreamProvider(TelemetrySample.StreamProvider).GetStream<Reading>(StreamId.Create(TelemetrySample.Namespace, deviceId));

    private async Task OnReadingAsync(string deviceId, Reading reading, StreamSequenceToken token)
    {
        AlertBook state = book.State;
        if (token.SequenceNumber <= state.LastSequenceNumbers.GetValueOrDefault(deviceId))
        {
            return;
        }

        state.LastSequenceNumbers[deviceId] = token.SequenceNumber;
        if (reading.Value > state.Thresholds[deviceId])
        {
            state.Alerts.Add(new Alert(deviceId, token.SequenceNumber, reading.Value));
        }

        await book.WriteStateAsync();
    }

    /// <summary>A delegate-style observer per watched device (an Orleans grain may subscribe with any observer object).</summary>
    private sealed class Observer(AlertGrain grain, string deviceId) : IAsyncObserver<Reading>
    {
        public Task OnNextAsync(Reading item, StreamSequenceToken? token = null) => grain.OnReadingAsync(deviceId, item, token!);

        public Task OnCompletedAsync() => Task.CompletedTask;

        public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
    }
}
