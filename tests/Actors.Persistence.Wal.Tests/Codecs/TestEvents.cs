using System.Text.Json.Serialization;
using Actors.Persistence.Wal;

namespace Actors.Persistence.Wal.Tests.Codecs;

public interface ITestEvent
{
}

[EventType("test-deposited")]
public sealed record Deposited(decimal Amount) : ITestEvent;

[EventType("test-withdrawn")]
public sealed record Withdrawn(decimal Amount, string Reason) : ITestEvent;

public sealed record Unnamed(int Value) : ITestEvent;

[EventType("test-deposited")]
public sealed record ImpostorDeposited(decimal Amount) : ITestEvent;

[EventType("test-renamed-v2")]
public sealed record RenamedV2(string Owner, decimal Amount) : ITestEvent;

[EventType("test-typed-v1")]
public sealed record TypedV1(int Cents);

[EventType("test-typed-v2")]
public sealed record TypedV2(decimal Amount) : ITestEvent;

public interface IOtherTestEvent
{
}

[EventType("other-happened")]
public sealed record OtherHappened(int Value) : IOtherTestEvent;

[EventType("test-not-an-event")]
public sealed record NotATestEvent(int Value);

[EventType("test-throwing")]
public sealed class ThrowingEvent : ITestEvent
{
    public int Value => throw new InvalidOperationException("this property cannot be read");
}

[EventType("test-unfinished")]
public sealed class UnfinishedEvent : ITestEvent
{
    public int Done => 1;

    public int Pending => throw new NotImplementedException("Pending is not written yet");
}

[EventType("test-nested-unfinished")]
public sealed record NestedUnfinishedEvent(string Name, UnfinishedEvent Inner) : ITestEvent;

[JsonSerializable(typeof(Deposited))]
[JsonSerializable(typeof(Withdrawn))]
internal sealed partial class TestEventJsonContext : JsonSerializerContext
{
}
