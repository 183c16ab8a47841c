using Actors.Invocation;
using Actors.Runtime.Concurrency;

namespace Actors.Runtime;

/// <content>What the admission rules read (under the gate), and call-chain reentrant sections.</content>
internal sealed partial class ActivationData : ICallChainReentrantGrainContext
{
    private int _blockingRunning;
    private int _writersRunning;
    private GrainCall? _blocking;

    /// <summary>
    /// Running, queued and reserved requests, read without the gate (a hint for choosing a stateless worker): a call its
    /// pool chose it for counts from the choice (<see cref="Reserve"/>) until the call was offered to it
    /// (<see cref="ReleaseReservation"/>), so two calls chosen at the same moment do not both find it idle.
    /// </summary>
    public int LoadHint => Volatile.Read(ref _running) + QueueLength + Volatile.Read(ref _reservations);

    /// <summary>Counts a call its stateless-worker pool just chose it for (under the pool's lock).</summary>
    public void Reserve() => Interlocked.Increment(ref _reservations);

    /// <summary>The reserved call was offered (<see cref="TryAccept"/>, accepted or not): it no longer counts as reserved.</summary>
    public void ReleaseReservation() => Interlocked.Decrement(ref _reservations);

    /// <summary>Requests running now.</summary>
    public int RunningLocked => _running;

    /// <summary>Running requests that hold back others (all but the always-interleaving ones).</summary>
    public int BlockingRunningLocked => _blockingRunning;

    /// <summary>Blocking running requests that are not read-only.</summary>
    public int WritersRunningLocked => _writersRunning;

    /// <summary>Whether a call-chain reentrant section with <paramref name="reentrancyId"/> is open here.</summary>
    public bool IsReentrantSectionOpenLocked(Guid reentrancyId) => _extras?.ReentrantSections?.ContainsKey(reentrancyId) == true;

    /// <summary>Asks a [MayInterleave] predicate about the candidate, then about the first blocking request; a predicate that throws admits nothing (logged).</summary>
    public bool MayInterleaveLocked(Func<IInvokable, bool> predicate, GrainCall candidate)
    {
        try
        {
            return predicate(candidate.Invokable) || (_blocking is { } blocking && predicate(blocking.Invokable));
        }
        catch (Exception ex)
        {
            Runtime.Log.MayInterleaveFailed(ex, GrainId, candidate.Request.Method.Key);
            return false;
        }
    }

    /// <inheritdoc />
    void ICallChainReentrantGrainContext.OnEnterReentrantSection(Guid reentrancyId)
    {
        GrainCall? admitted;
        using (InterleavingPoints.Lock(Gate))
        {
            Dictionary<Guid, int> sections = Extras.ReentrantSections ??= [];
            sections[reentrancyId] = sections.GetValueOrDefault(reentrancyId) + 1;

            // Calls of this chain may already be waiting (they arrived before the section opened).
            admitted = TakeAdmittedLocked();
        }

        StartChain(admitted);
    }

    /// <inheritdoc />
    void ICallChainReentrantGrainContext.OnExitReentrantSection(Guid reentrancyId)
    {
        using (InterleavingPoints.Lock(Gate))
        {
            if (_extras?.ReentrantSections is { } sections && sections.TryGetValue(reentrancyId, out int depth))
            {
                if (depth <= 1)
                {
                    sections.Remove(reentrancyId);
                }
                else
                {
                    sections[reentrancyId] = depth - 1;
                }
            }
        }
    }

    /// <summary>Counts <paramref name="call"/> as running.</summary>
    private void StartedLocked(GrainCall call)
    {
        _running++;
        if (!call.AlwaysInterleave)
        {
            _blockingRunning++;
            if (ClassInfo.MayInterleave is not null)
            {
                // Only a [MayInterleave] class reads it; others never store a per-call reference in the activation.
                _blocking ??= call;
            }

            if (!call.IsReadOnly)
            {
                _writersRunning++;
            }
        }
    }

    /// <summary>Counts <paramref name="call"/> as no longer running.</summary>
    private void FinishedLocked(GrainCall call)
    {
        _running--;
        if (!call.AlwaysInterleave)
        {
            _blockingRunning--;
            if (ReferenceEquals(_blocking, call))
            {
                _blocking = null;
            }

            if (!call.IsReadOnly)
            {
                _writersRunning--;
            }
        }
    }
}
