namespace Actors;

/// <summary>
/// Intercepts calls leaving a silo or client (Orleans' <c>IOutgoingGrainCallFilter</c>), registered with
/// <c>AddOutgoingGrainCallFilter</c> on the silo or the client. Request-context values it sets before
/// <see cref="IGrainCallContext.Invoke"/> travel with the call.
/// </summary>
public interface IOutgoingGrainCallFilter
{
    /// <summary>Handles the call; call <see cref="IGrainCallContext.Invoke"/> to let it proceed.</summary>
    Task Invoke(IOutgoingGrainCallContext context);
}
