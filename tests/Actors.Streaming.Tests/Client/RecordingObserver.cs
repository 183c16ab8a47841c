using Actors.Streaming.Tests.Support;
using Actors.Streams;

namespace Actors.Streaming.Tests.Client;

/// <summary>A gateway client's observer of int items that records what it sees under <paramref name="name"/>.</summary>
/// <param name="failOn">An item the observer always throws on (after recording the attempt), or null.</param>
internal sealed class RecordingObserver(DeliveryRecorder recorder, string name, int? failOn = null) : IAsyncObserver<int>
{
    public Task OnNextAsync(int item, StreamSequenceToken? token = null)
    {
        if (item == failOn)
        {
            recorder.Record(name, "client", token, $"attempt:{item}");
            throw new ArgumentException($"observer {name} refuses {item}");
        }

        recorder.Record(name, "client", token, $"item:{item}");
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync()
    {
        recorder.Record(name, "client", null, "completed");
        return Task.CompletedTask;
    }

    public Task OnErrorAsync(Exception ex)
    {
        recorder.Record(name, "client", (ex as StreamDeliveryException)?.Token, $"error:{ex.GetType().Name}");
        return Task.CompletedTask;
    }
}
