namespace Actors.Hosting;

/// <summary>Where <see cref="IGrainCallRouter.RouteAsync"/> sends a call: to an activation in this silo, or elsewhere.</summary>
public readonly struct GrainCallRoute
{
    private GrainCallRoute(Task<object?> remoteOutcome)
    {
        RemoteOutcome = remoteOutcome;
    }

    /// <summary>Serve the call with this silo's activation of the grain (created if there is none).</summary>
    public static GrainCallRoute Local => default;

    /// <summary>The call was sent elsewhere; <paramref name="outcome"/> completes with its result or fault.</summary>
    public static GrainCallRoute Remote(Task<object?> outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new GrainCallRoute(outcome);
    }

    /// <summary>The outcome of the call served elsewhere; null when the call is local.</summary>
    public Task<object?>? RemoteOutcome { get; }

    /// <summary>True when this silo serves the call.</summary>
    public bool IsLocal => RemoteOutcome is null;
}
