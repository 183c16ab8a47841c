namespace Actors.Runtime;

/// <summary>The silo's <see cref="IGrainExtensionBinder"/>: extension objects live in the activation's extras.</summary>
internal sealed class GrainExtensionBinder : IGrainExtensionBinder
{
    /// <inheritdoc />
    public TExtensionInterface GetExtension<TExtensionInterface>(IGrainContext grainContext)
        where TExtensionInterface : class, IGrainExtension
    {
        ArgumentNullException.ThrowIfNull(grainContext);
        if (grainContext is not ActivationData activation)
        {
            throw new ArgumentException($"'{grainContext.GetType().FullName}' is not an activation of this silo; grain extensions need the grain's own context.", nameof(grainContext));
        }

        return (TExtensionInterface)activation.GetExtension(typeof(TExtensionInterface));
    }
}
