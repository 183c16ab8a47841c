using System.Collections;
using Microsoft.Extensions.Logging;

namespace Actors.Utilities;

/// <summary>
/// Keeps a grain's observers with an expiry (Orleans' <c>ObserverManager&lt;TIdentity, TObserver&gt;</c>): a subscriber
/// renews its subscription by subscribing again within <see cref="ExpirationDuration"/>; a notification skips and
/// drops expired subscriptions and drops an observer whose call fails (its client is gone, or it deleted the
/// reference).
/// </summary>
/// <remarks>
/// Used from one grain's turns, like the rest of a grain's state: not thread-safe. It keeps nothing durable: after the
/// grain is reactivated, observers subscribe again (which is why they renew).
/// </remarks>
/// <typeparam name="TIdentity">What identifies a subscriber (the observer reference itself, or a client-chosen id).</typeparam>
/// <typeparam name="TObserver">The observer interface.</typeparam>
public partial class ObserverManager<TIdentity, TObserver> : IEnumerable<TObserver>
    where TIdentity : notnull
{
    private readonly Dictionary<TIdentity, ObserverEntry> _observers = [];
    private readonly ILogger _logger;

    /// <summary>Creates the manager.</summary>
    /// <param name="expiration">How long a subscription lasts without being renewed.</param>
    /// <param name="logger">Where dropped observers are reported.</param>
    public ObserverManager(TimeSpan expiration, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ExpirationDuration = expiration;
        _logger = logger;
    }

    /// <summary>The clock (UTC); replace it in tests.</summary>
    public Func<DateTime> GetDateTime { get; set; } = static () => DateTime.UtcNow;

    /// <summary>How long a subscription lasts without being renewed.</summary>
    public TimeSpan ExpirationDuration { get; set; }

    /// <summary>The number of subscriptions (expired ones included until the next notification or <see cref="ClearExpired"/>).</summary>
    public int Count => _observers.Count;

    /// <summary>The subscriptions by identity.</summary>
    public IDictionary<TIdentity, TObserver> Observers => _observers.ToDictionary(e => e.Key, e => e.Value.Observer);

    /// <summary>Removes every subscription.</summary>
    public void Clear() => _observers.Clear();

    /// <summary>Adds a subscription, or renews it (and replaces its observer).</summary>
    public void Subscribe(TIdentity id, TObserver observer)
    {
        ArgumentNullException.ThrowIfNull(id);
        _observers[id] = new ObserverEntry(observer, GetDateTime());
    }

    /// <summary>Removes a subscription.</summary>
    public void Unsubscribe(TIdentity id)
    {
        ArgumentNullException.ThrowIfNull(id);
        _observers.Remove(id);
    }

    /// <summary>
    /// Calls <paramref name="notification"/> on every live subscriber (matching <paramref name="predicate"/>), one after
    /// another; a subscriber whose call throws is dropped and logged. Expired subscriptions are dropped first.
    /// </summary>
    public async Task Notify(Func<TObserver, Task> notification, Func<TObserver, bool>? predicate = null)
    {
        ArgumentNullException.ThrowIfNull(notification);
        foreach ((TIdentity id, TObserver observer) in LiveSubscribers(predicate))
        {
            try
            {
                await notification(observer);
            }
            catch (Exception ex)
            {
                Drop(id, ex);
            }
        }
    }

    /// <summary>Calls <paramref name="notification"/> on every live subscriber; a subscriber whose call throws at once is dropped.</summary>
    public void Notify(Action<TObserver> notification, Func<TObserver, bool>? predicate = null)
    {
        ArgumentNullException.ThrowIfNull(notification);
        foreach ((TIdentity id, TObserver observer) in LiveSubscribers(predicate))
        {
            try
            {
                notification(observer);
            }
            catch (Exception ex)
            {
                Drop(id, ex);
            }
        }
    }

    /// <summary>Drops expired subscriptions, then returns a snapshot of the subscribers <paramref name="predicate"/> accepts.</summary>
    private (TIdentity Id, TObserver Observer)[] LiveSubscribers(Func<TObserver, bool>? predicate)
    {
        ClearExpired();
        return [.. _observers.Where(e => predicate is null || predicate(e.Value.Observer)).Select(e => (e.Key, e.Value.Observer))];
    }

    private void Drop(TIdentity id, Exception error)
    {
        LogObserverDropped(_logger, error, id.ToString());
        _observers.Remove(id);
    }

    /// <summary>Drops the subscriptions not renewed within <see cref="ExpirationDuration"/>.</summary>
    public void ClearExpired()
    {
        DateTime now = GetDateTime();
        List<TIdentity>? expired = null;
        foreach ((TIdentity id, ObserverEntry entry) in _observers)
        {
            if (now - entry.LastSeen > ExpirationDuration)
            {
                (expired ??= []).Add(id);
            }
        }

        if (expired is not null)
        {
            LogObserversExpired(_logger, expired.Count);
            Remove(expired);
        }
    }

    /// <inheritdoc />
    public IEnumerator<TObserver> GetEnumerator() => _observers.Values.Select(e => e.Observer).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void Remove(List<TIdentity>? ids)
    {
        foreach (TIdentity id in ids ?? [])
        {
            _observers.Remove(id);
        }
    }

    [LoggerMessage(EventId = 140, Level = LogLevel.Debug, Message = "Observer {Observer} dropped: its notification failed")]
    private static partial void LogObserverDropped(ILogger logger, Exception exception, string? observer);

    [LoggerMessage(EventId = 141, Level = LogLevel.Debug, Message = "{Count} observers dropped: their subscriptions expired")]
    private static partial void LogObserversExpired(ILogger logger, int count);

    private readonly record struct ObserverEntry(TObserver Observer, DateTime LastSeen);
}
