namespace Actors.Client;

/// <summary>The loop that pulls one subscription's events for its observer (<see cref="ClientSubscriptionPump{T}"/>), type-erased.</summary>
internal interface IClientSubscriptionPump
{
    /// <summary>Starts pulling.</summary>
    void Start();

    /// <summary>Stops pulling; the observer is called no more (an offer being handled is left unacknowledged, so it is offered again).</summary>
    void Stop();
}
