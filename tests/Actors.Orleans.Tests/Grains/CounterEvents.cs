namespace Actors.Orleans.Tests.Grains;

/// <summary>The events of <see cref="CounterJournalGrain"/>.</summary>
[GenerateSerializer]
public abstract class CounterEvent
{
}

[GenerateSerializer]
public sealed class Added : CounterEvent
{
    [Id(0)]
    public int Amount { get; set; }
}

/// <summary>An event <see cref="CounterJournalGrain"/>'s state transition throws on (a grain bug).</summary>
[GenerateSerializer]
public sealed class Poisoned : CounterEvent
{
}

/// <summary>An event type Orleans's serializer has no codec for (no [GenerateSerializer]).</summary>
public sealed class UnserializableEvent : CounterEvent
{
    public IntPtr Handle { get; set; }
}

[GenerateSerializer]
public sealed class CounterState
{
    [Id(0)]
    public int Total { get; set; }

    [Id(1)]
    public int Count { get; set; }
}

[GenerateSerializer]
public sealed record CounterView([property: Id(0)] int Total, [property: Id(1)] int Count, [property: Id(2)] int Version);
