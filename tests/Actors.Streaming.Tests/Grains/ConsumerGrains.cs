using Actors.Runtime;
using Actors.Streaming.Tests.Support;
using Actors.Streams;

namespace Actors.Streaming.Tests.Grains;

public interface IConsumerGrain : IGrainWithStringKey
{
    /// <summary>Subscribes to (provider, ns, key), optionally from a sequence number; returns the subscription id.</summary>
    Task<Guid> Subscribe(string provider, string streamNamespace, string streamKey, long? fromSequenceNumber = null);

    Task<int> SubscriptionCount(string provider, string streamNamespace, string streamKey);

    Task UnsubscribeAll(string provider, string streamNamespace, string streamKey);

    Task Deactivate();
}

/// <summary>
/// An explicit subscriber of int items. Its key names the stream it resumes on activation (<c>name@provider@ns@key</c>)
/// in the Orleans way: GetAllSubscriptionHandles, then ResumeAsync on each.
/// </summary>
public class ConsumerGrain(DeliveryRecorder recorder) : Grain, IConsumerGrain, IAsyncObserver<int>
{
    protected DeliveryRecorder Recorder => recorder;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        string[] parts = this.GetPrimaryKeyString().Split('@');
        if (parts.Length == 4)
        {
            IAsyncStream<int> stream = this.GetStreamProvider(parts[1]).GetStream<int>(StreamId.Create(parts[2], parts[3]));
            foreach (StreamSubscriptionHandle<int> handle in await stream.GetAllSubscriptionHandles())
            {
                await handle.ResumeAsync(this);
            }
        }
    }

    public async Task<Guid> Subscribe(string provider, string streamNamespace, string streamKey, long? fromSequenceNumber = null)
    {
        IAsyncStream<int> stream = this.GetStreamProvider(provider).GetStream<int>(StreamId.Create(streamNamespace, streamKey));
        StreamSubscriptionHandle<int> handle = fromSequenceNumber is { } from
            ? await stream.SubscribeAsync(this, new EventSequenceToken(from))
            : await stream.SubscribeAsync(this);
        return handle.HandleId;
    }

    public async Task<int> SubscriptionCount(string provider, string streamNamespace, string streamKey)
        => (await this.GetStreamProvider(provider).GetStream<int>(StreamId.Create(streamNamespace, streamKey)).GetAllSubscriptionHandles()).Count;

    public async Task UnsubscribeAll(string provider, string streamNamespace, string streamKey)
    {
        foreach (StreamSubscriptionHandle<int> handle in await this.GetStreamProvider(provider).GetStream<int>(StreamId.Create(streamNamespace, streamKey)).GetAllSubscriptionHandles())
        {
            await handle.UnsubscribeAsync();
        }
    }

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public virtual async Task OnNextAsync(int item, StreamSequenceToken? token = null)
    {
        await Task.Yield();
        recorder.Record(this.GetPrimaryKeyString(), "", token, $"item:{item}");
    }

    public Task OnCompletedAsync()
    {
        recorder.Record(this.GetPrimaryKeyString(), "", null, "completed");
        return Task.CompletedTask;
    }

    public Task OnErrorAsync(Exception ex)
    {
        recorder.Record(this.GetPrimaryKeyString(), "", (ex as StreamDeliveryException)?.Token, $"error:{ex.GetType().Name}:{ex.Message}");
        return Task.CompletedTask;
    }
}

public interface ISlowConsumerGrain : IConsumerGrain
{
}

/// <summary>Waits at the gate before handling each item (a subscriber slower than its producer).</summary>
public sealed class SlowConsumerGrain(DeliveryRecorder recorder, Gate gate) : ConsumerGrain(recorder), ISlowConsumerGrain
{
    public override async Task OnNextAsync(int item, StreamSequenceToken? token = null)
    {
        await gate.PassAsync();
        await base.OnNextAsync(item, token);
    }
}

public interface IFailingConsumerGrain : IConsumerGrain
{
}

/// <summary>Throws on item -1 every time (a poison event).</summary>
public sealed class FailingConsumerGrain(DeliveryRecorder recorder) : ConsumerGrain(recorder), IFailingConsumerGrain
{
    public override Task OnNextAsync(int item, StreamSequenceToken? token = null)
    {
        if (item == -1)
        {
            Recorder.Record(this.GetPrimaryKeyString(), "", token, "threw");
            throw new InvalidOperationException("poison item");
        }

        return base.OnNextAsync(item, token);
    }
}

public interface IImplicitConsumerGrain : IGrainWithStringKey
{
    Task<int> Activations();
}

/// <summary>Implicitly subscribed to namespace "orders": every order stream activates the grain with the stream's key.</summary>
[ImplicitStreamSubscription("orders")]
public sealed class ImplicitConsumerGrain(DeliveryRecorder recorder) : Grain, IImplicitConsumerGrain, IStreamSubscriptionObserver, IAsyncObserver<int>
{
    private static int _activations;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _activations);
        return Task.CompletedTask;
    }

    public Task<int> Activations() => Task.FromResult(Volatile.Read(ref _activations));

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => await handleFactory.Create<int>().ResumeAsync(this);

    public Task OnNextAsync(int item, StreamSequenceToken? token = null)
    {
        recorder.Record("implicit:" + this.GetPrimaryKeyString(), "", token, $"item:{item}");
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        recorder.Record("implicit:" + this.GetPrimaryKeyString(), "", null, $"error:{ex.Message}");
        return Task.CompletedTask;
    }
}

public interface IStringConsumerGrain : IConsumerGrain
{
}

/// <summary>Subscribes with string items (to see a stream of ints reported as undeliverable, never dropped).</summary>
public sealed class StringConsumerGrain(DeliveryRecorder recorder) : Grain, IStringConsumerGrain, IAsyncObserver<string>
{
    public async Task<Guid> Subscribe(string provider, string streamNamespace, string streamKey, long? fromSequenceNumber = null)
        => (await this.GetStreamProvider(provider).GetStream<string>(StreamId.Create(streamNamespace, streamKey)).SubscribeAsync(this)).HandleId;

    public Task<int> SubscriptionCount(string provider, string streamNamespace, string streamKey) => Task.FromResult(0);

    public Task UnsubscribeAll(string provider, string streamNamespace, string streamKey) => Task.CompletedTask;

    public Task Deactivate() => Task.CompletedTask;

    public Task OnNextAsync(string item, StreamSequenceToken? token = null)
    {
        recorder.Record(this.GetPrimaryKeyString(), "", token, $"item:{item}");
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        recorder.Record(this.GetPrimaryKeyString(), "", (ex as StreamDeliveryException)?.Token, $"error:{ex.GetType().Name}");
        return Task.CompletedTask;
    }
}
