namespace Actors.Storage;

/// <summary>A grain state with its version tag, as passed to <see cref="IGrainStorage"/> (Orleans' shape).</summary>
/// <typeparam name="T">The state type.</typeparam>
public interface IGrainState<T> : IGrainState
{
    /// <summary>The state; providers replace it on read.</summary>
    T State { get; set; }
}
