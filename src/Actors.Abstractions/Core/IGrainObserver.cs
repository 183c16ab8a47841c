using Actors.Runtime;

namespace Actors;

/// <summary>
/// The marker of observer interfaces (Orleans' <c>IGrainObserver</c>): objects that grains call back, created with
/// <see cref="IGrainFactory.CreateObjectReference{TGrainObserverInterface}"/> on a client (calls arrive over its gateway
/// connection) or in a silo. Observer methods return <c>Task</c>, <c>ValueTask</c> (or a result), or <c>void</c> (a
/// one-way notification).
/// </summary>
public interface IGrainObserver : IAddressable
{
}
