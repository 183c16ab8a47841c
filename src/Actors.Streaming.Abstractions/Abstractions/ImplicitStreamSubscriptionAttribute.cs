namespace Actors;

/// <summary>
/// Subscribes every grain of the class to every stream of a namespace (Orleans' <c>[ImplicitStreamSubscription]</c>):
/// an event in stream <c>(namespace, key)</c> activates the grain with that key, with no <c>SubscribeAsync</c> call.
/// </summary>
/// <remarks>
/// The grain attaches its observer when it activates: by implementing <see cref="Streams.IStreamSubscriptionObserver"/>
/// (called before the first delivery), or by calling <c>SubscribeAsync</c> on the stream in <c>OnActivateAsync</c>
/// (which attaches to the implicit subscription instead of creating another). Delivery starts at the stream's first
/// event.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class ImplicitStreamSubscriptionAttribute : Attribute
{
    /// <summary>Subscribes the class to the streams of <paramref name="streamNamespace"/>.</summary>
    public ImplicitStreamSubscriptionAttribute(string streamNamespace)
    {
        ArgumentNullException.ThrowIfNull(streamNamespace);
        Namespace = streamNamespace;
    }

    /// <summary>The namespace.</summary>
    public string Namespace { get; }
}
