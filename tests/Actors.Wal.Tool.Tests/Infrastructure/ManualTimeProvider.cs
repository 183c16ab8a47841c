namespace Actors.Wal.Tool.Tests.Infrastructure;

/// <summary>A clock the test moves by hand (only the wall clock; timers and timestamps stay real).</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
