namespace Actors.Wal.Writing;

/// <summary>The steps of a lock-free hand-off at which an interleaving test may switch threads.</summary>
internal enum InterleavingPoint
{
    /// <summary>A producer read the head and is about to compare-and-swap its request onto it.</summary>
    BeforePush,

    /// <summary>A producer's request is queued; it has not yet looked at the consumer's sleep announcement.</summary>
    AfterPush,

    /// <summary>A producer saw the announcement and is about to set the wake-up signal.</summary>
    BeforeWake,

    /// <summary>The consumer took the queued requests.</summary>
    AfterTake,

    /// <summary>The consumer announced it is about to sleep; it has not yet looked at the queue again.</summary>
    AfterAnnounceSleep,

    /// <summary>The consumer found nothing and is about to block on the signal.</summary>
    BeforeBlock,
}

/// <summary>Observes the steps of a hand-off; only interleaving tests provide one (production passes null: no cost).</summary>
internal interface IInterleavingProbe
{
    /// <summary>The calling thread reached <paramref name="point"/>; a test scheduler may run another thread first.</summary>
    void Reached(InterleavingPoint point);
}

/// <summary>The wake-up signal of a hand-off's consumer: set by producers, reset and awaited by the consumer.</summary>
internal interface IWakeSignal
{
    /// <summary>Wakes the consumer (or makes its next wait return at once).</summary>
    void Set();

    /// <summary>Clears the signal before the consumer announces it will sleep.</summary>
    void Reset();

    /// <summary>Blocks until the signal is set.</summary>
    void Wait();
}

/// <summary>The production signal: a <see cref="ManualResetEventSlim"/> (spins briefly before blocking).</summary>
internal sealed class EventWakeSignal : IWakeSignal
{
    private readonly ManualResetEventSlim _event = new(false, spinCount: 100);

    /// <inheritdoc />
    public void Set() => _event.Set();

    /// <inheritdoc />
    public void Reset() => _event.Reset();

    /// <inheritdoc />
    public void Wait() => _event.Wait();
}
