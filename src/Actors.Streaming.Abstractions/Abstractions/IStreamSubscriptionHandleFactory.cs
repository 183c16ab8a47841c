using Actors.Runtime;

namespace Actors.Streams;

/// <summary>Creates the handle of an implicit subscription (Orleans' <c>IStreamSubscriptionHandleFactory</c>).</summary>
public interface IStreamSubscriptionHandleFactory
{
    /// <summary>The stream.</summary>
    StreamId StreamId { get; }

    /// <summary>The stream's provider.</summary>
    string ProviderName { get; }

    /// <summary>The subscription's id.</summary>
    Guid SubscriptionId { get; }

    /// <summary>The handle, typed for the items the grain expects.</summary>
    StreamSubscriptionHandle<T> Create<T>();
}
