namespace Actors.Runtime;

/// <summary>
/// Gives infrastructure the extension object of an activation of this silo (Orleans' <c>IGrainExtensionBinder</c>): the
/// same object the silo invokes when a call of the extension interface reaches that activation.
/// </summary>
public interface IGrainExtensionBinder
{
    /// <summary>The activation's object for <typeparamref name="TExtensionInterface"/>, created on first use.</summary>
    /// <param name="grainContext">An activation of this silo.</param>
    /// <remarks>Call it from the activation's own turns only (the object is created and kept without a lock).</remarks>
    /// <exception cref="ArgumentException"><paramref name="grainContext"/> is not an activation of this silo.</exception>
    /// <exception cref="InvalidOperationException">No extension is registered for the interface.</exception>
    TExtensionInterface GetExtension<TExtensionInterface>(IGrainContext grainContext)
        where TExtensionInterface : class, IGrainExtension;
}
