using System.Diagnostics;
using System.Runtime.CompilerServices;
using Actors.Wal.Diagnostics;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Segments;

namespace Actors.Wal.Writing;

/// <summary>
/// The second stage of the write pipeline, on its own thread: writes the framed groups waiting (one gather write per
/// segment), makes them durable (fdatasync, per the sync policy), then publishes them (index entries, live bytes, durable
/// positions) and completes their callers, while the writer already frames the next groups.
/// </summary>
/// <remarks>
/// <para>Ownership: the committer thread alone writes the groups' bytes into the segment files (the written position),
/// publishes index entries (it is the <see cref="StreamIndex"/> owner once the log runs), segments' durable offsets and
/// live bytes, and the written, durable and applied positions.</para>
/// <para>Order: groups are synced, applied and completed in the order the writer wrote them; a segment is synced before
/// any later segment, so the seal of a segment is durable before anything written after it is acknowledged.</para>
/// <para>Inline (<see cref="WriteAheadLogOptions.CommitOnCallingThread"/>): no thread is started; each group is committed
/// by the thread that posts it, which holds the writer's drain while it does (<see cref="Post"/>), so commits are still
/// one at a time and in write order, and "the committer thread" above is whichever thread holds the drain.</para>
/// </remarks>
internal sealed partial class Committer
{
    private readonly HandOffQueue<CommitGroup> _groups = new(static () => new CommitGroup { IsCloseMarker = true }, countsPending: true);
    private readonly List<CommitGroup> _pending = [];
    private readonly List<CommitGroup> _arrivedDuringCommit = [];
    private readonly List<(Segment Segment, long End)> _toSync = [];
    private readonly List<ReadOnlyMemory<byte>> _gather = [];
    private readonly WriteAheadLogOptions _options;
    private readonly StreamIndex _index;
    private readonly SegmentManager _segments;
    private readonly Space.CoalescingSpaceAccount _liveBytes;
    private readonly LogHealth _health;
    private readonly LogCounters _counters;
    private readonly WalInstruments _instruments;
    private readonly ICommitPolicy _policy;
    private readonly Action<CommitGroup> _returnGroup;
    private readonly Thread _thread;
    private readonly int _consolidateAfter;
    private readonly bool _inline;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _writtenLsn;
    private long _durableLsn;
    private long _appliedPosition = LogPosition.None;
    private int _lastCompleted = 1;
    private TimeSpan _fsyncLatency = TimeSpan.FromMicroseconds(200);
    private TaskCompletionSource? _appliedWaiter;
    private int _committing;
    private uint _listingRequested;
    private bool _closedSeen;

    /// <summary>Creates the committer; <see cref="Start"/> starts its thread.</summary>
    public Committer(
        WriteAheadLogOptions options,
        StreamIndex index,
        SegmentManager segments,
        LogHealth health,
        LogCounters counters,
        WalInstruments instruments,
        ICommitPolicy policy,
        Action<CommitGroup> returnGroup,
        long durableLsn,
        long appliedPosition)
    {
        _options = options;
        _index = index;
        _segments = segments;
        _liveBytes = new Space.CoalescingSpaceAccount(segments);
        _health = health;
        _counters = counters;
        _instruments = instruments;
        _policy = policy;
        _returnGroup = returnGroup;
        _durableLsn = durableLsn;
        _writtenLsn = durableLsn;
        _appliedPosition = appliedPosition;
        _thread = new Thread(Run) { IsBackground = true, Name = "Actors.Wal committer" };
        _consolidateAfter = options.RetainCheckpointedEvents ? 0 : options.ConsolidateAfterRecords;
        _inline = options.CommitOnCallingThread;
    }

    /// <summary>
    /// True when groups are committed by the thread that posts them (<see cref="WriteAheadLogOptions.CommitOnCallingThread"/>):
    /// the writer posts its open group at the end of every drain instead of waiting for <see cref="IOpenGroupSource.RequestGroup"/>.
    /// </summary>
    public bool CommitsInline => _inline;

    /// <summary>The LSN of the last record handed to the operating system (written into its segment file).</summary>
    public long WrittenLsn => Volatile.Read(ref _writtenLsn);

    /// <summary>The LSN of the last record covered by a completed fsync.</summary>
    public long DurableLsn => Volatile.Read(ref _durableLsn);

    /// <summary>The end of the last group whose records are applied to the index (a position; -1 when none yet).</summary>
    public long AppliedPosition => Volatile.Read(ref _appliedPosition);

    /// <summary>
    /// Completes once <see cref="AppliedPosition"/> lies beyond <paramref name="position"/> (change-feed tailing), or at
    /// the next commit after that; the caller checks again. Any thread.
    /// </summary>
    public Task WhenAppliedBeyond(long position)
    {
        if (AppliedPosition > position)
        {
            return Task.CompletedTask;
        }

        var waiter = Volatile.Read(ref _appliedWaiter);
        if (waiter is null)
        {
            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiter = Interlocked.CompareExchange(ref _appliedWaiter, created, null) ?? created;
        }

        // Published before this second look: a commit that ends now either is seen here or finds the waiter.
        return AppliedPosition > position ? Task.CompletedTask : waiter.Task;
    }

    /// <summary>
    /// True while a commit runs: from before it looks at the log's health until after it published (and acknowledged)
    /// its groups or failed them. Any thread.
    /// </summary>
    /// <remarks>
    /// A commit that starts after the log failed publishes nothing, but one that found the log healthy still publishes
    /// the groups it synced, even when the log fails meanwhile. So a change-feed reader that saw the failure and then
    /// finds no commit running has seen every acknowledgement there will be: it reads the applied position once more,
    /// hands out what lies below, and only then reports the failure. When a commit runs, the reader waits for
    /// <see cref="WhenAppliedBeyond"/>, which completes when the commit ends.
    /// </remarks>
    public bool IsCommitting => Volatile.Read(ref _committing) != 0;

    /// <summary>Where the group being framed comes from when the committer is ready for it (the writer; set before <see cref="Start"/>).</summary>
    public IOpenGroupSource? Source { get; set; }

    /// <summary>
    /// Called on the committer thread with a stream (based on a checkpoint or a tombstone) whose read chain just reached a
    /// multiple of <see cref="WriteAheadLogOptions.ConsolidateAfterRecords"/> records (maintenance copies it forward); null
    /// (or the option 0, or a log that retains checkpointed events): never. Set before <see cref="Start"/>; must not block.
    /// </summary>
    public Action<HotStream>? ChainGrown { get; set; }

    /// <summary>Groups posted and not yet taken (for tests that hold the committer and count what waits for it).</summary>
    public int PendingGroups => _groups.Pending;

    /// <summary>Completes when the committer thread has stopped (after the group queue closed and drained).</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Starts the committer thread (none when <see cref="CommitsInline"/>).</summary>
    public void Start()
    {
        if (!_inline)
        {
            _thread.Start();
        }
    }

    /// <summary>
    /// Hands a framed group over (the writer, or the committer itself when it takes the open group). When
    /// <see cref="CommitsInline"/>, commits it on the calling thread, which holds the writer's drain: written, synced if it
    /// must be, published and its requests completed when this returns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Post(CommitGroup group)
    {
        if (_inline)
        {
            _pending.Add(group);
            long now = Stopwatch.GetTimestamp();
            Commit(now, now);
            return;
        }

        if (!_groups.TryEnqueue(group))
        {
            throw new InvalidOperationException("The committer was closed while the writer still posts groups.");
        }
    }

    /// <summary>No more groups will come: drain and stop (the writer, when its queue closed and drained).</summary>
    public void Close()
    {
        _groups.Close();
        if (_inline)
        {
            _stopped.TrySetResult(); // every group was committed by the thread that posted it
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run()
    {
        try
        {
            bool afterCommit = false;
            bool closed = false;
            long waitStarted = Stopwatch.GetTimestamp();
            while (true)
            {
                // Groups closed right after the last commit's fsync, before its publish (TakeArrivedDuringCommit): they hold
                // the requests that arrived while it ran, and none of the callers it completed.
                int arrivedDuringCommit = MoveArrivedDuringCommit();
                closed |= _closedSeen;
                Source?.RequestGroup(); // what was framed meanwhile: posted now, or by the thread framing when it is done
                var chain = _groups.TakeAll(out bool closedNow);
                closed |= closedNow;
                if (chain is null && _pending.Count == 0)
                {
                    if (closed)
                    {
                        return;
                    }

                    afterCommit = false;
                    _groups.WaitForWork();
                    continue;
                }

                // Expected: the requests that arrived during the last commit, and the callers it completed, who will
                // probably come back (counted once: those already back are among the ones it completed).
                Append(chain);
                long lingerStarted = Stopwatch.GetTimestamp();
                Linger(afterCommit ? _lastCompleted + arrivedDuringCommit : _lastCompleted);
                Commit(waitStarted, lingerStarted);
                waitStarted = Stopwatch.GetTimestamp();
                afterCommit = true;
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    /// <summary>
    /// Writes, syncs and publishes the pending groups; <paramref name="waitStarted"/>: when the committer began waiting for
    /// them; <paramref name="lingerStarted"/>: when it had some and began lingering for more.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Commit(long waitStarted, long lingerStarted)
    {
        long started = Stopwatch.GetTimestamp();
        // Marked before the health check (a full fence): whoever sees the failure and then no commit running also sees
        // everything this commit published.
        Interlocked.Exchange(ref _committing, 1);
        try
        {
            if (_health.IsFailed || _health.IsAbandoned)
            {
                FailPending(_health.NewError());
                return;
            }

            if (!TryWrite())
            {
                return;
            }

            long written = Stopwatch.GetTimestamp();

            bool sync = false;
            foreach (var group in _pending)
            {
                sync |= group.ForceSync || (group.Records > 0 && _options.SyncPolicy == SyncPolicy.Always);
            }

            if (sync && !TrySync())
            {
                return;
            }

            long synced = Stopwatch.GetTimestamp();

            if (!_inline)
            {
                TakeArrivedDuringCommit();
            }

            // In write order. A group in a segment no manifest lists as live yet is acknowledged all the same; the
            // manifest write that lists it runs in the background (RequestListing).
            int completed = 0;
            int published = 0;
            try
            {
                for (; published < _pending.Count; published++)
                {
                    completed += Publish(_pending[published], sync);
                    RequestListing(_pending[published]);
                }
            }
            catch (InvalidOperationException ex)
            {
                // An index invariant broke while the written groups were applied (a defect, StreamIndex.OwnedIdle): the
                // log fails, and nothing of this group or later ones is acknowledged, rather than the committer's
                // thread dying with the callers left waiting.
                _health.EnterFailed("publish", ex);
                FailPending(_health.NewError(), published);
                return;
            }

            _lastCompleted = Math.Max(1, completed);
            _instruments.RecordCommitPhases(lingerStarted - waitStarted, started - lingerStarted, written - started, synced - written, Stopwatch.GetTimestamp() - synced);
        }
        finally
        {
            foreach (var group in _pending)
            {
                _returnGroup(group);
            }

            _pending.Clear();
            Volatile.Write(ref _committing, 0);
            SignalApplied(); // after the commit ended: a reader waiting on a failed log looks again (see IsCommitting)
        }
    }

    /// <summary>
    /// Asks the segment manager's background thread for the manifest write that lists a segment taken into use as live,
    /// once per segment, when the first group written into it is published (its predecessor's seal was synced with or
    /// before that group). The group is acknowledged without waiting for that write: until it lands, recovery finds the
    /// segment as the listed spare that follows a sealed segment and holds records, and recovers it as the next segment.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RequestListing(CommitGroup group)
    {
        foreach (var (segment, _) in group.Writes)
        {
            if (!segment.ListedLive && segment.Id > _listingRequested)
            {
                _listingRequested = segment.Id;
                _segments.RequestBackgroundWork();
            }
        }
    }

    private void FailPending(Exception error, int from = 0)
    {
        for (int i = from; i < _pending.Count; i++)
        {
            var group = _pending[i];
            foreach (var request in group.Requests)
            {
                request.Fail(error);
                request.ReleaseByPipeline();
            }

            group.DemoteDone?.Set();
        }
    }

    /// <summary>Wakes whoever waits in <see cref="WhenAppliedBeyond"/> (nothing is allocated when nobody waits).</summary>
    private void SignalApplied() => Interlocked.Exchange(ref _appliedWaiter, null)?.TrySetResult();
}
