namespace Actors.Replication.Tests.Simulation;

/// <summary>Virtual time for the simulator: it moves only when the event loop advances it (microseconds).</summary>
public sealed class VirtualClock : TimeProvider
{
    /// <summary>Now, in microseconds since the run started.</summary>
    public long NowMicroseconds { get; private set; }

    /// <inheritdoc />
    public override long TimestampFrequency => 1_000_000;

    /// <inheritdoc />
    public override long GetTimestamp() => NowMicroseconds;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks(NowMicroseconds * 10);

    /// <summary>Moves time forward to <paramref name="microseconds"/> (never backwards).</summary>
    public void AdvanceTo(long microseconds)
    {
        if (microseconds < NowMicroseconds)
        {
            throw new InvalidOperationException($"Virtual time cannot go back from {NowMicroseconds} to {microseconds} us.");
        }

        NowMicroseconds = microseconds;
    }
}
