using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>Record timestamps never decrease, even when the clock goes back, within a run and across reopen.</summary>
public sealed class TimestampTests : LogTestBase
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AppendAsync_ClockGoesBackAcrossReopen_TimestampsNeverDecrease(bool cleanShutdown)
    {
        var clock = new ClockThatGoesBack(Start);
        clock.Advance(TimeSpan.FromHours(2));
        var log = await OpenAsync(time: clock);
        await log.AppendAsync("s", 0, Events("1"));
        if (cleanShutdown)
        {
            await log.DisposeAsync();
        }
        else
        {
            await log.AbandonAsync();
        }

        clock.GoBack(TimeSpan.FromHours(1));
        await using var reopened = await OpenAsync(time: clock);
        await reopened.AppendAsync("other", 0, Events("x"));
        await reopened.AppendAsync("s", 1, Events("2"));

        var events = await reopened.ReadEventsAsync("s", 1, 2);
        Assert.True(events[1].Timestamp >= events[0].Timestamp, $"version 2 at {events[1].Timestamp:O} is before version 1 at {events[0].Timestamp:O}");
    }

    [Fact]
    public async Task AppendAsync_ClockGoesBackAfterRotation_TimestampsNeverDecrease()
    {
        var clock = new ClockThatGoesBack(Start);
        clock.Advance(TimeSpan.FromHours(2));
        var log = await OpenAsync(time: clock);
        long x = 0;
        while (log.GetStatistics().SegmentCount < 3)
        {
            await log.AppendAsync("x", x, [new byte[1000]]);
            x++;
        }

        await log.AbandonAsync(); // the snapshot written at rotation carries the last timestamp
        clock.GoBack(TimeSpan.FromHours(1));
        await using var reopened = await OpenAsync(time: clock);
        await reopened.AppendAsync("x", x, Events("late"));

        var events = await reopened.ReadEventsAsync("x", x, x + 1);
        Assert.True(events[1].Timestamp >= events[0].Timestamp, $"version {x + 1} at {events[1].Timestamp:O} is before version {x} at {events[0].Timestamp:O}");
    }

    /// <summary>A <see cref="FakeTimeProvider"/> whose wall clock can also be set back, as a system clock can (FakeTimeProvider only moves forward).</summary>
    private sealed class ClockThatGoesBack(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private TimeSpan _back;

        /// <summary>Sets the wall clock back by <paramref name="by"/> (timers keep their schedule).</summary>
        public void GoBack(TimeSpan by) => _back += by;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() - _back;
    }
}
