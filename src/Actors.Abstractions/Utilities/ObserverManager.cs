using Actors.Runtime;
using Microsoft.Extensions.Logging;

namespace Actors.Utilities;

/// <summary>
/// Keeps a grain's observers keyed by the observer reference itself (Orleans' <c>ObserverManager&lt;TObserver&gt;</c>):
/// see <see cref="ObserverManager{TIdentity, TObserver}"/>.
/// </summary>
/// <typeparam name="TObserver">The observer interface.</typeparam>
public class ObserverManager<TObserver> : ObserverManager<IAddressable, TObserver>
{
    /// <summary>Creates the manager.</summary>
    /// <param name="expiration">How long a subscription lasts without being renewed by another <c>Subscribe</c>.</param>
    /// <param name="logger">Where dropped observers are reported.</param>
    public ObserverManager(TimeSpan expiration, ILogger logger)
        : base(expiration, logger)
    {
    }
}
