namespace Actors.Streams;

/// <summary>
/// Implemented by a grain with implicit subscriptions to attach its observers (Orleans' <c>IStreamSubscriptionObserver</c>):
/// called on the activation before the first delivery of each implicit subscription it has no observer for.
/// </summary>
public interface IStreamSubscriptionObserver
{
    /// <summary>Attach an observer: <c>await handleFactory.Create&lt;T&gt;().ResumeAsync(observer)</c>.</summary>
    Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory);
}
