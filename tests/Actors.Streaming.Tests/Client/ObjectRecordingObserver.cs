using System.Collections.Concurrent;
using Actors.Streaming.Tests.Support;
using Actors.Streams;

namespace Actors.Streaming.Tests.Client;

/// <summary>A gateway client's observer of any item type that records what it sees under <paramref name="name"/> and keeps the errors it is given.</summary>
internal sealed class ObjectRecordingObserver(DeliveryRecorder recorder, string name) : IAsyncObserver<object>
{
    private readonly ConcurrentQueue<Exception> _errors = new();

    /// <summary>The exceptions given to <see cref="OnErrorAsync"/>, in order.</summary>
    public IReadOnlyList<Exception> Errors => [.. _errors];

    public Task OnNextAsync(object item, StreamSequenceToken? token = null)
    {
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
        _errors.Enqueue(ex);
        recorder.Record(name, "client", (ex as StreamDeliveryException)?.Token, $"error:{ex.GetType().Name}");
        return Task.CompletedTask;
    }
}
