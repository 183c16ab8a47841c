using Actors.Utilities;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Runtime.Tests;

/// <summary>ObserverManager: subscriptions with expiry, renewal, and dropping observers whose calls fail.</summary>
public sealed class ObserverManagerTests
{
    private static readonly DateTime Start = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);
    private DateTime _now = Start;

    [Fact]
    public async Task Notify_SubscriptionOlderThanTheExpiration_IsDroppedAndNotNotified()
    {
        ObserverManager<string, FakeObserver> manager = Create();
        var old = new FakeObserver();
        var fresh = new FakeObserver();
        manager.Subscribe("old", old);
        _now += TimeSpan.FromMinutes(3);
        manager.Subscribe("fresh", fresh);
        _now += TimeSpan.FromMinutes(3);

        await manager.Notify(o => o.Receive("m"));

        Assert.Empty(old.Received);
        Assert.Equal(["m"], fresh.Received);
        Assert.Equal(["fresh"], manager.Observers.Keys);
    }

    [Fact]
    public async Task Subscribe_Again_RenewsTheSubscription()
    {
        ObserverManager<string, FakeObserver> manager = Create();
        var observer = new FakeObserver();
        manager.Subscribe("a", observer);
        _now += TimeSpan.FromMinutes(4);
        manager.Subscribe("a", observer);
        _now += TimeSpan.FromMinutes(4);

        await manager.Notify(o => o.Receive("still here"));

        Assert.Equal(["still here"], observer.Received);
        Assert.Equal(1, manager.Count);
    }

    [Fact]
    public async Task Notify_ObserverWhoseCallThrows_IsDropped_OthersStillNotified()
    {
        ObserverManager<string, FakeObserver> manager = Create();
        var broken = new FakeObserver { Fails = true };
        var healthy = new FakeObserver();
        manager.Subscribe("broken", broken);
        manager.Subscribe("healthy", healthy);

        await manager.Notify(o => o.Receive("x"));
        manager.Notify(o => o.ReceiveNow("y"));

        Assert.Equal(["x", "y"], healthy.Received);
        Assert.Equal(["healthy"], manager.Observers.Keys);
    }

    [Fact]
    public async Task Notify_Predicate_SkipsObserversItRejects_WithoutDroppingThem()
    {
        ObserverManager<string, FakeObserver> manager = Create();
        var skipped = new FakeObserver { Tag = "skip" };
        var chosen = new FakeObserver();
        manager.Subscribe("skipped", skipped);
        manager.Subscribe("chosen", chosen);

        await manager.Notify(o => o.Receive("only chosen"), o => o.Tag != "skip");

        Assert.Empty(skipped.Received);
        Assert.Equal(["only chosen"], chosen.Received);
        Assert.Equal(2, manager.Count);
    }

    [Fact]
    public void ClearExpired_AndUnsubscribe_RemoveSubscriptions()
    {
        ObserverManager<string, FakeObserver> manager = Create();
        manager.Subscribe("a", new FakeObserver());
        manager.Subscribe("b", new FakeObserver());
        manager.Unsubscribe("a");
        Assert.Equal(["b"], manager.Observers.Keys);

        _now += TimeSpan.FromMinutes(6);
        manager.ClearExpired();

        Assert.Equal(0, manager.Count);
        Assert.Empty(manager);
    }

    private ObserverManager<string, FakeObserver> Create() => new(TimeSpan.FromMinutes(5), NullLogger.Instance) { GetDateTime = () => _now };

    public sealed class FakeObserver
    {
        private readonly List<string> _received = [];

        public bool Fails { get; init; }

        public string? Tag { get; init; }

        public IReadOnlyList<string> Received => _received;

        public Task Receive(string message)
        {
            ReceiveNow(message);
            return Task.CompletedTask;
        }

        public void ReceiveNow(string message)
        {
            if (Fails)
            {
                throw new ClientNotAvailableException("gone");
            }

            _received.Add(message);
        }
    }
}
