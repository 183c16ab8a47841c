using Actors.Replication.Configuration;
using Actors.Replication.Options;
using Actors.Replication.Wal;
using Actors.Wal.Entries;
using Microsoft.Extensions.Time.Testing;
using static Actors.Replication.Tests.Hosting.ReplicaHostScenarios;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// <see cref="ReplicaTicker"/>: one timer ticks every host that shares it (a silo's replicas), each once per period; a host
/// given one makes no timer of its own and still times its leader out.
/// </summary>
public sealed class ReplicaTickerTests
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(25);

    [Fact]
    public async Task Fire_ThreeSubscribers_TicksEachOncePerPeriodFromOneTimer()
    {
        var fake = new FakeTimeProvider();
        var time = new CountingTimeProvider(fake);
        await using var ticker = new ReplicaTicker(Period, time);
        var ticks = new int[3];
        var subscriptions = Enumerable.Range(0, 3).Select(i => ticker.Subscribe(() => Interlocked.Increment(ref ticks[i]))).ToArray();

        fake.Advance(Period);
        fake.Advance(Period);

        Assert.Equal([2, 2, 2], ticks);
        Assert.Equal(1, time.TimersCreated);
        Assert.Equal(3, ticker.Subscribers);
    }

    [Fact]
    public async Task Subscription_Disposed_ItsCallbackTicksNoMoreAndTheOthersGoOn()
    {
        var fake = new FakeTimeProvider();
        await using var ticker = new ReplicaTicker(Period, fake);
        int first = 0, second = 0;
        var leaving = ticker.Subscribe(() => first++);
        using var staying = ticker.Subscribe(() => second++);
        fake.Advance(Period);

        leaving.Dispose();
        leaving.Dispose();
        fake.Advance(Period);

        Assert.Equal(1, first);
        Assert.Equal(2, second);
        Assert.Equal(1, ticker.Subscribers);
    }

    [Fact]
    public async Task DisposeAsync_WithSubscribers_StopsTickingAndRefusesNewSubscribers()
    {
        var fake = new FakeTimeProvider();
        var ticker = new ReplicaTicker(Period, fake);
        int ticks = 0;
        using var subscription = ticker.Subscribe(() => ticks++);

        await ticker.DisposeAsync();
        fake.Advance(Period);

        Assert.Equal(0, ticks);
        Assert.Throws<ObjectDisposedException>(() => ticker.Subscribe(() => ticks++));
    }

    [Fact]
    public async Task Ticker_PeriodAboveHalfTheHeartbeatInterval_IsRefusedByTheHost()
    {
        var options = new ReplicaOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(50) };
        await using var ticker = new ReplicaTicker(TimeSpan.FromMilliseconds(26));
        using var directory = new TempDirectory();
        using var log = EntryLog.Open(new EntryLogOptions { Directory = directory.Path });

        var refusal = Assert.Throws<ArgumentException>(() => new ReplicaHost(
            new ReplicaId(1), log, new InMemoryReplicaConfigurationStore(HostedReplicas.Initial(1)), new LoopbackReplicationTransport(), options) { Ticker = ticker });

        Assert.Contains("half the heartbeat interval", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task SharedTicker_ThreeHosts_TickByItsOneTimerAndAFollowerTakesOverAKilledLeader()
    {
        // Real threads, disks and time: the hosts make no timer of their own (the only one is the ticker's), and the
        // followers' leader timeout, which only their ticks can notice, still elects a successor.
        var time = new CountingTimeProvider(TimeProvider.System);
        ReplicaOptions options = FailoverOptions();
        await using var ticker = new ReplicaTicker(options.HeartbeatInterval / 2, time);
        await using var replicas = new HostedReplicas(3, options, ticker: ticker, time: time);
        var leader = await replicas.LeaderAsync(1, Generous);
        await leader.AppendAsync(new byte[] { 1 }).WaitAsync(Generous);
        Assert.Equal(3, ticker.Subscribers);

        long epoch = leader.Status.Epoch;
        await replicas.KillAsync(leader.Id);
        var successor = await replicas.LeaderAsync(epoch + 1, Generous);
        await successor.AppendAsync(new byte[] { 2 }).WaitAsync(Generous);

        Assert.NotEqual(leader.Id, successor.Id);
        Assert.Equal(2, ticker.Subscribers);
        Assert.Equal(1, time.TimersCreated);
    }

    /// <summary>A clock that counts the timers made on it.</summary>
    private sealed class CountingTimeProvider(TimeProvider inner) : TimeProvider
    {
        private int _timers;

        public int TimersCreated => Volatile.Read(ref _timers);

        public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timers);
            return inner.CreateTimer(callback, state, dueTime, period);
        }
    }
}
