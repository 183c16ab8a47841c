using System.Runtime.CompilerServices;

namespace Actors.Wal.Writing;

// Who runs the writer: the enqueuing threads (one request or a batch) and their combining drain, and the committer's
// request for the open group (methods only: the state is in LogWriter.cs).
internal sealed partial class LogWriter
{
    /// <summary>
    /// Queues a request and drains the queue on the calling thread unless another thread does; false when the log is
    /// closing (nothing was queued). Any thread.
    /// </summary>
    /// <remarks>
    /// The request may be framed, and even completed, before this returns. The calling thread must hold no lock the
    /// writer takes, and must not be the committer's (a demotion waits for it).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryEnqueue(LogRequest request)
    {
        if (!_queue.TryEnqueue(request))
        {
            return false;
        }

        Drain();
        return true;
    }

    /// <summary>
    /// Queues <paramref name="requests"/> in order, then drains once: a batch (a chunk of compaction's copies) is framed
    /// together into the open group instead of one drain, and often one group, per request. Returns how many were queued,
    /// the first ones: the rest found the log closing (nothing of them was queued). Any thread, under
    /// <see cref="TryEnqueue"/>'s rules.
    /// </summary>
    public int TryEnqueueAll<TRequest>(List<TRequest> requests)
        where TRequest : LogRequest
    {
        int queued = 0;
        while (queued < requests.Count && _queue.TryEnqueue(requests[queued]))
        {
            queued++;
        }

        Drain();
        return queued;
    }

    /// <summary>
    /// Frames and hands on everything queued, on the calling thread, while nobody else does: a thread that finds the drain
    /// taken leaves at once (the holder looks at the queue again after it lets go, so nothing queued is left behind).
    /// </summary>
    /// <remarks>
    /// No lost request: a producer pushes (a full fence) and then tries to take the drain; the holder lets go (a full
    /// fence) and then looks at the queue. Whatever the interleaving, either the holder sees the new request or the
    /// producer finds the drain free.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Drain()
    {
        while ((_queue.HasWork || (_groupOpen && Volatile.Read(ref _groupWanted) != 0))
            && Volatile.Read(ref _finished) == 0
            && Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            try
            {
                var chain = _queue.TakeAll(out bool closed);
                if (chain is not null)
                {
                    Process(chain);
                }

                if (closed || _committer.CommitsInline || Volatile.Read(ref _groupWanted) != 0)
                {
                    HandOnOpenGroup(); // inline: committed here, so each caller's request is complete when the drain ends
                }

                if (closed && Interlocked.Exchange(ref _finished, 1) == 0)
                {
                    _committer.Close();
                    _stopped.TrySetResult();
                }
            }
            finally
            {
                Interlocked.Exchange(ref _draining, 0);
            }
        }
    }

    /// <summary>
    /// The committer is ready for the next commit (committer thread): hands it the open group now when no thread drains,
    /// else asks the draining thread to hand it on when it is done. The committer then takes what was posted, or sleeps
    /// until a group is posted.
    /// </summary>
    /// <remarks>
    /// No lost request: the committer announces (a full fence), then tries to take the drain; a draining thread lets go
    /// (a full fence), then looks at the announcement. The committer only closes the open group (never frames: a demotion
    /// would wait for it), so requests pushed while it held the drain are drained on the thread pool.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RequestGroup()
    {
        Interlocked.Exchange(ref _groupWanted, 1);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
        {
            return;
        }

        try
        {
            if (Volatile.Read(ref _finished) == 0)
            {
                HandOnOpenGroup();
            }
        }
        finally
        {
            Interlocked.Exchange(ref _draining, 0);
        }

        if (_queue.HasWork && Volatile.Read(ref _finished) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false); // as an IThreadPoolWorkItem: nothing allocated
        }
    }

    /// <summary>True while a thread holds the drain (framing, or the committer closing the open group). Any thread.</summary>
    public bool IsDraining => Volatile.Read(ref _draining) != 0;

    /// <summary>Drains on a thread-pool thread (requests pushed while the committer held the drain).</summary>
    void IThreadPoolWorkItem.Execute() => Drain();

    /// <summary>Posts the open group when it holds anything (the drain's holder); a failure fails the log and the group.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void HandOnOpenGroup()
    {
        if (!_groupOpen)
        {
            return;
        }

        Interlocked.Exchange(ref _groupWanted, 0);
        try
        {
            WriteGroup();
        }
        catch (Exception ex)
        {
            FailOpenGroup(ex);
        }
    }
}
