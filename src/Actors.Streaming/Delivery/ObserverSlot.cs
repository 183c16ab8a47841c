namespace Actors.Streams.Delivery;

/// <summary>An attached observer, with its item type erased so one activation can hold observers of many types.</summary>
internal abstract class ObserverSlot
{
    public abstract Type ItemType { get; }

    public abstract Task OnNextAsync(object? item, StreamSequenceToken token);

    public abstract Task OnCompletedAsync();

    public abstract Task OnErrorAsync(Exception error);

    public static ObserverSlot For<T>(IAsyncObserver<T> observer) => new Typed<T>(observer);

    private sealed class Typed<T>(IAsyncObserver<T> observer) : ObserverSlot
    {
        public override Type ItemType => typeof(T);

        public override Task OnNextAsync(object? item, StreamSequenceToken token) => observer.OnNextAsync((T)item!, token);

        public override Task OnCompletedAsync() => observer.OnCompletedAsync();

        public override Task OnErrorAsync(Exception error) => observer.OnErrorAsync(error);
    }
}
