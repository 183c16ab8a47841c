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

    /// <summary>The consumer read the head and is about to compare-and-swap it away.</summary>
    BeforeTake,

    /// <summary>The consumer took the queued requests.</summary>
    AfterTake,

    /// <summary>A thread closing the queue read the head and is about to compare-and-swap the close marker onto it.</summary>
    BeforeClose,

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

/// <summary>
/// The production signal: a <see cref="ManualResetEventSlim"/>. On 2 cores or fewer it blocks at once (no spinning): its
/// spin phase is mostly <c>sched_yield</c> calls (90 of 100 iterations), which round 8 measured as 34% of the writer's
/// samples at 256 writers, and a single writer never finds its next request within the spin anyway (it comes one fsync
/// later). With more cores it spins as before (spin count 100). The AppContext data <c>Actors.Wal.WakeUpSpinCount</c>
/// (an integer) overrides the spin count, for side-by-side measurements.
/// </summary>
internal sealed class EventWakeSignal : IWakeSignal
{
    /// <summary>The AppContext data name that overrides <see cref="SpinCount"/>.</summary>
    public const string SpinCountSwitch = "Actors.Wal.WakeUpSpinCount";

    private readonly ManualResetEventSlim _event = new(false, SpinCount);

    /// <summary>The spin count of every signal created from now on.</summary>
    public static int SpinCount => AppContext.GetData(SpinCountSwitch) switch
    {
        int n when n >= 0 => n,
        string text when int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) => n,
        _ => Environment.ProcessorCount <= 2 ? 0 : 100,
    };

    /// <inheritdoc />
    public void Set() => _event.Set();

    /// <inheritdoc />
    public void Reset() => _event.Reset();

    /// <inheritdoc />
    public void Wait() => _event.Wait();
}
