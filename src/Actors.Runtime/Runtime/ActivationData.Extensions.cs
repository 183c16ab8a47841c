using Actors.Invocation;
using Actors.Runtime.Concurrency;

namespace Actors.Runtime;

/// <content>Grain extensions: the objects that answer extension interfaces the grain class does not implement.</content>
internal sealed partial class ActivationData
{
    /// <summary>The object a call of <paramref name="method"/> runs on: the grain, or the activation's extension object.</summary>
    internal object InvocationTarget(GrainMethod method)
        => method.InterfaceType.IsInstanceOfType(_grain) || !typeof(IGrainExtension).IsAssignableFrom(method.InterfaceType)
            ? _grain!
            : GetExtension(method.InterfaceType);

    /// <summary>The activation's object for extension interface <paramref name="interfaceType"/>, created on first use.</summary>
    /// <exception cref="InvalidOperationException">No extension is registered for the interface.</exception>
    internal object GetExtension(Type interfaceType)
    {
        if (interfaceType.IsInstanceOfType(_grain))
        {
            return _grain!;
        }

        Dictionary<Type, object> extensions;
        using (InterleavingPoints.Lock(Gate))
        {
            // The extras are shared with the gate's users; the dictionary itself is touched only from the activation's turns.
            extensions = Extras.Extensions ??= [];
        }

        if (!extensions.TryGetValue(interfaceType, out object? extension))
        {
            Func<IGrainContext, object> factory = Runtime.Extensions.GetValueOrDefault(interfaceType)
                ?? throw new InvalidOperationException(
                    $"Grain {GrainId} received a call of extension '{interfaceType.FullName}', which is not registered in silo '{Runtime.Settings.SiloName}' (AddGrainExtension).");
            extension = factory(this);
            extensions.Add(interfaceType, extension);
        }

        return extension;
    }
}
