using Actors.Runtime;

namespace Actors.Streams.Storage;

/// <summary>One subscription of a stream as stored.</summary>
/// <param name="Id">The subscription's id.</param>
/// <param name="GrainId">The subscribing grain.</param>
/// <param name="IsImplicit">Whether it comes from <see cref="ImplicitStreamSubscriptionAttribute"/>.</param>
/// <param name="Cursor">The sequence number of the last event the subscriber acknowledged (0: none).</param>
internal sealed record SubscriptionEntry(Guid Id, GrainId GrainId, bool IsImplicit, long Cursor);
