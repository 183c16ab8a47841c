namespace Actors;

/// <summary>
/// Intercepts calls arriving at grains (Orleans' <c>IIncomingGrainCallFilter</c>): registered silo-wide with
/// <c>AddIncomingGrainCallFilter</c>, or implemented by a grain class for its own calls (runs after the silo-wide ones).
/// Runs on the called activation's scheduler, with the caller's request context.
/// </summary>
public interface IIncomingGrainCallFilter
{
    /// <summary>Handles the call; call <see cref="IGrainCallContext.Invoke"/> to let it proceed.</summary>
    Task Invoke(IIncomingGrainCallContext context);
}
