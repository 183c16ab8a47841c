using System.Collections.Concurrent;

namespace Actors.Replication.Wal;

/// <summary>
/// The appends a <see cref="ReplicaHost"/> accepted and has not answered yet, by request id: a caller's thread adds one
/// (<see cref="Add"/>), the driver loop answers it (<see cref="TryTake"/>), a stopping host fails every one left
/// (<see cref="FailAll"/>). Each is answered exactly once: whoever takes it from here completes it.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class PendingAppends
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<ReplicatedAppendResult>> _waiting = new();
    private long _nextRequestId;

    /// <summary>
    /// Registers a new append; returns its request id and the completion its caller awaits. <paramref name="continueInline"/>:
    /// the completion's continuations run on the thread that answers it (the driver loop, or a stopping host's), so only a
    /// caller whose continuation never blocks may ask for it; otherwise they run on the thread pool.
    /// </summary>
    public (long RequestId, TaskCompletionSource<ReplicatedAppendResult> Completion) Add(bool continueInline = false)
    {
        var requestId = Interlocked.Increment(ref _nextRequestId);
        var completion = new TaskCompletionSource<ReplicatedAppendResult>(
            continueInline ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[requestId] = completion;
        return (requestId, completion);
    }

    /// <summary>Takes the append <paramref name="requestId"/> to answer it; false when it was answered already.</summary>
    public bool TryTake(long requestId, out TaskCompletionSource<ReplicatedAppendResult> completion) => _waiting.TryRemove(requestId, out completion!);

    /// <summary>Fails every append still waiting with <paramref name="exception"/>.</summary>
    public void FailAll(Exception exception)
    {
        foreach (var requestId in _waiting.Keys)
        {
            if (_waiting.TryRemove(requestId, out var completion))
            {
                completion.TrySetException(exception);
            }
        }
    }
}
