namespace Actors.Runtime;

/// <summary>
/// The grain context whose grain the runtime is constructing on the current thread: the binding by which
/// <see cref="Grain"/>'s parameterless constructor finds its activation (so grain classes need no constructor
/// parameter for it, as in Orleans).
/// </summary>
/// <remarks>
/// Infrastructure: a runtime wraps the construction of a grain instance in <see cref="EnterConstruction"/>; grain code
/// never calls it. Thread-static and nestable (the previous context is restored when the scope ends).
/// </remarks>
public static class RuntimeContext
{
    [ThreadStatic]
    private static IGrainContext? _current;

    /// <summary>
    /// The context being constructed on this thread, or else the activation whose turn is running (its scheduler is the
    /// current <see cref="TaskScheduler"/>), or null outside grains.
    /// </summary>
    public static IGrainContext? Current => _current ?? TaskScheduler.Current as IGrainContext;

    /// <summary>Makes <paramref name="context"/> current on this thread until the returned scope is disposed.</summary>
    /// <remarks>Dispose the scope on the same thread, before the thread does anything else (a <c>using</c> around the constructor call).</remarks>
    public static RuntimeContextScope EnterConstruction(IGrainContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        IGrainContext? previous = _current;
        _current = context;
        return new RuntimeContextScope(previous);
    }

    internal static void Restore(IGrainContext? previous) => _current = previous;
}
