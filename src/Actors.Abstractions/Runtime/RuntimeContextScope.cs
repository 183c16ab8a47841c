namespace Actors.Runtime;

/// <summary>Ends a <see cref="RuntimeContext.EnterConstruction"/> scope: restores the context that was current before it.</summary>
public readonly struct RuntimeContextScope : IDisposable
{
    private readonly IGrainContext? _previous;

    internal RuntimeContextScope(IGrainContext? previous) => _previous = previous;

    /// <summary>Restores the previous context.</summary>
    public void Dispose() => RuntimeContext.Restore(_previous);
}
