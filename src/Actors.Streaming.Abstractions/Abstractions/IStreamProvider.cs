using Actors.Runtime;

namespace Actors.Streams;

/// <summary>A named stream provider of the silo (Orleans' <c>IStreamProvider</c>): hands out streams.</summary>
public interface IStreamProvider
{
    /// <summary>The provider's name.</summary>
    string Name { get; }

    /// <summary>Whether subscriptions may start from an earlier token (rewind); true for the log-backed providers.</summary>
    bool IsRewindable { get; }

    /// <summary>The stream <paramref name="streamId"/> with items of type <typeparamref name="T"/>. Cheap; no I/O.</summary>
    IAsyncStream<T> GetStream<T>(StreamId streamId);
}
