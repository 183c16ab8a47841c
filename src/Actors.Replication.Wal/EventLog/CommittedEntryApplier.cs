using Actors.Replication.Wal.Materialized;
using Actors.Wal;
using Actors.Wal.Entries;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Replication.Wal.EventLog;

/// <summary>
/// Applies a replica's committed entries (<see cref="ReplicaHost.ReadCommittedAsync"/>), each a
/// <see cref="ReplicatedOperation"/>, in LSN order to a local <see cref="IEventLog"/>: the materialized log that serves
/// reads. Every replica runs one, so a new leader's local log already holds what was acknowledged before it took over.
/// </summary>
/// <remarks>
/// <para>Determinism: every replica applies the same operations in the same order to a log in the same state, so a write
/// the log refuses (a version conflict, a checkpoint out of range, a record too large, an erase refused: a
/// <see cref="RequestRejectedException"/>, <see cref="StreamVersionConflictException"/> or
/// <see cref="ArgumentException"/>) is refused everywhere and changes nothing anywhere; that refusal is the proposing
/// caller's answer. Any other failure (the local log failed, a malformed entry) stops the applier
/// (<see cref="Failure"/>): the materialized log can no longer follow.</para>
/// <para>Throughput: the operations of a burst of committed entries are handed to the local log one after another without
/// waiting, and a <see cref="WriteAheadLog"/> takes them as one group: one commit per burst, not one per write
/// (<see cref="BurstApplier"/>; an erase, which reads before it writes, waits for what precedes it). The local log must
/// process writes in the order they are called, as <see cref="WriteAheadLog"/> and <see cref="InMemoryEventLog"/> do.</para>
/// <para>The local log must start empty: a restarted replica rebuilds its materialized log from its entry log (from LSN 1,
/// or from the host's checkpoint when a <see cref="MaterializedCheckpointPolicy"/> is given), because applied writes and
/// the applied position are not recorded atomically (a re-applied <see cref="ExpectedVersion.Any"/> append would
/// duplicate events). With a policy the applier also checkpoints the local log (its bookkeeping:
/// <see cref="CommittedEntryApplierCheckpoints"/>), and rebuilds it from the host's checkpoint whenever the host replaced
/// the entries it still needs.</para>
/// </remarks>
public sealed class CommittedEntryApplier : IAsyncDisposable
{
    private const int ReadBatch = 256;
    private readonly ReplicaHost _host;
    private readonly CommittedEntryApplierCheckpoints? _checkpoints;
    private readonly FollowerApplyDeferral? _deferral;
    private readonly ProposalWaiters _waiting = new();
    private readonly AppliedProgress _progress = new();
    private readonly BurstApplier _bursts;
    private readonly CancellationTokenSource _stopping = new();
    private volatile IEventLog _local;
    private Task _loop = Task.CompletedTask;

    /// <summary>The back-off after a first failed restore of the host's checkpoint (doubling after each further failure): 100 ms.</summary>
    public static readonly TimeSpan FirstRestoreRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest back-off between two restores of the host's checkpoint: 10 s.</summary>
    public static readonly TimeSpan MaxRestoreRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Creates the applier of <paramref name="host"/>'s committed entries onto <paramref name="local"/> (empty), from LSN 1,
    /// without checkpoints (a host whose log starts above LSN 1 stops it: <see cref="Failure"/>); call <see cref="Start"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="local"/> already holds records (applying onto it could duplicate events).</exception>
    public CommittedEntryApplier(ReplicaHost host, IEventLog local)
        : this(host, local, null)
    {
    }

    /// <summary>
    /// Creates the applier of <paramref name="host"/>'s committed entries onto <paramref name="local"/> (empty) that
    /// checkpoints it by <paramref name="checkpoints"/>: it starts from the host's checkpoint (restored into the local log)
    /// and applies the entries after it; call <see cref="Start"/> once the host started. <paramref name="logger"/>
    /// receives the restores that failed (retried: <see cref="RestoreFailure"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="local"/> already holds records (applying onto it could duplicate events).</exception>
    public CommittedEntryApplier(ReplicaHost host, IEventLog local, MaterializedCheckpointPolicy? checkpoints, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(local);
        checkpoints?.Validate();
        if (local.WrittenLsn != 0)
        {
            throw new ArgumentException(
                $"The materialized log of replica {host.Id} must start empty (it holds records up to LSN {local.WrittenLsn}): "
                + "rebuild it from the entry log instead of applying onto an older copy.",
                nameof(local));
        }

        _host = host;
        _local = local;
        _bursts = new BurstApplier(_waiting, _progress);
        _checkpoints = checkpoints is null ? null : new CommittedEntryApplierCheckpoints(checkpoints, host, logger ?? NullLogger.Instance);
    }

    /// <summary>Every committed entry up to here is applied to the local log.</summary>
    public long AppliedLsn => _progress.Lsn;

    /// <summary>Why the applier stopped on its own, or null.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>
    /// The local (materialized) log. With a <see cref="MaterializedCheckpointPolicy"/> it is replaced by a log restored from
    /// the host's checkpoint at start and whenever the host took a leader's checkpoint (the previous one is closed then);
    /// the current one is the caller's to close after <see cref="DisposeAsync"/>.
    /// </summary>
    public IEventLog Local => _local;

    /// <summary>Checkpoints of the local log captured and offered to the host.</summary>
    public long CheckpointsOffered => _checkpoints?.CheckpointsOffered ?? 0;

    /// <summary>Offered checkpoints the host wrote durably (and deleted the entries below, as far as whole segments allow).</summary>
    public long CheckpointsTaken => _checkpoints?.CheckpointsTaken ?? 0;

    /// <summary>Times the local log was rebuilt from the host's checkpoint (at start, or after the host took a leader's).</summary>
    public long CheckpointsRestored => _checkpoints?.CheckpointsRestored ?? 0;

    /// <summary>The LSN of the checkpoint the local log was last rebuilt from (0: none, it was built from LSN 1).</summary>
    public long RestoredFromLsn => _checkpoints?.RestoredFromLsn ?? 0;

    /// <summary>
    /// Captures of the local log that failed (<see cref="MaterializedStateException"/>, logged as a warning): applying goes
    /// on, nothing is offered, and the next capture is tried once as many entries or bytes were applied again (the host's
    /// entry log keeps every entry meanwhile).
    /// </summary>
    public long CaptureFailures => _checkpoints?.CaptureFailures ?? 0;

    /// <summary>Restores from the host's checkpoint that failed (each is retried after a back-off).</summary>
    public long RestoreFailures => _checkpoints?.RestoreFailures ?? 0;

    /// <summary>
    /// Why the latest restore from the host's checkpoint failed while the applier still retries it (the applier applies
    /// nothing meanwhile), or null when the last restore succeeded or none failed.
    /// </summary>
    public CheckpointRestoreFailedException? RestoreFailure => _checkpoints?.RestoreFailure;

    /// <summary>
    /// While the host does not lead, how long after reading a burst of committed entries the applier waits for more before
    /// it applies them all at once (<c>ReplicaOptions.FollowerApplyDelay</c>): a follower's local log serves nothing until
    /// the replica leads, and one larger burst costs the local log one group commit instead of several. The wait ends at
    /// once when anything waits for the applier (<see cref="WaitAppliedAsync"/>, so a new leader's catch-up; a proposal
    /// registered through <see cref="ReplicatedEventLog"/>) and is not taken while the host leads. Zero (the default):
    /// every burst at once. Set before <see cref="Start"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan FollowerApplyDelay
    {
        get => _deferral?.Delay ?? TimeSpan.Zero;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _deferral = value > TimeSpan.Zero ? new FollowerApplyDeferral(value) : null;
        }
    }

    /// <summary>Starts applying.</summary>
    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>
    /// Registers <paramref name="completion"/> (pending, from a <see cref="ProposedWritePool"/>) for the outcome of operation
    /// <paramref name="operationId"/> (before it is proposed): it completes with the local log's result when the operation
    /// is applied, or fails with its deterministic refusal. Whoever removes a registration completes it, so it completes
    /// exactly once.
    /// </summary>
    internal void Expect(Guid operationId, ProposedWrite completion)
    {
        _waiting.Register(operationId, completion);
        _deferral?.Wake();
        if (Failure is { } failure)
        {
            _waiting.Fail(operationId, failure);
        }
    }

    /// <summary>Fails the registration of <paramref name="operationId"/> (its entry was not acknowledged) with <paramref name="exception"/>, unless it completed already.</summary>
    internal void Fail(Guid operationId, Exception exception) => _waiting.Fail(operationId, exception);

    /// <summary>Waits until every entry up to <paramref name="lsn"/> is applied.</summary>
    /// <exception cref="ReplicaHostFailedException">The applier or its host stopped on an error.</exception>
    public async Task WaitAppliedAsync(long lsn, CancellationToken cancellationToken = default)
    {
        if (AppliedLsn >= lsn)
        {
            return;
        }

        _deferral?.Hold();
        try
        {
            await WaitAppliedCoreAsync(lsn, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _deferral?.Release();
        }
    }

    private async Task WaitAppliedCoreAsync(long lsn, CancellationToken cancellationToken)
    {
        while (true)
        {
            var progress = _progress.NextChange;
            if (AppliedLsn >= lsn)
            {
                return;
            }

            if (Failure is { } failure)
            {
                throw new ReplicaHostFailedException(_host.Id, failure);
            }

            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            await progress.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops applying (the local log is the caller's to close); waiting callers fail as outcome unknown.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting for entries.
        }

        FailWaiting(new AppendOutcomeUnknownException(_host.Id, "the replica's applier stopped"));
        Advanced();
    }

    private async Task RunAsync()
    {
        try
        {
            if (_checkpoints is not null)
            {
                await RestoreFromCheckpointAsync(replacing: false).ConfigureAwait(false);
            }

            while (!_stopping.IsCancellationRequested)
            {
                IReadOnlyList<LoggedEntry> entries;
                try
                {
                    entries = await _host.ReadCommittedAsync(AppliedLsn + 1, ReadBatch, _stopping.Token).ConfigureAwait(false);
                }
                catch (EntriesCheckpointedException) when (_checkpoints is not null)
                {
                    // The host's log now starts above what was applied: it took its leader's checkpoint (a follower too
                    // far behind). Rebuild the local log from that checkpoint, then apply the entries after it.
                    await RestoreFromCheckpointAsync(replacing: true).ConfigureAwait(false);
                    continue;
                }

                if (_deferral is not null && entries.Count < ReadBatch)
                {
                    entries = await DeferAsync(_deferral, entries).ConfigureAwait(false);
                }

                await _bursts.ApplyAsync(entries, _local).ConfigureAwait(false);
                Advanced();
                if (_checkpoints is not null)
                {
                    _checkpoints.CountApplied(entries);
                    await _checkpoints.CheckpointIfDueAsync(_local, AppliedLsn, _stopping.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (ObjectDisposedException) when (_stopping.IsCancellationRequested)
        {
            // The host stopped first.
        }
        catch (Exception exception)
        {
            // The local log failed, an entry did not decode, or the host stopped: the materialized log cannot follow.
            Failure = exception;
            FailWaiting(exception);
            Advanced();
        }
    }

    /// <summary>
    /// A follower's wait for more committed entries after <paramref name="burst"/> (<see cref="FollowerApplyDelay"/>); returns
    /// the burst with the entries committed meanwhile (up to <c>ReadBatch</c> in all).
    /// </summary>
    private async Task<IReadOnlyList<LoggedEntry>> DeferAsync(FollowerApplyDeferral deferral, IReadOnlyList<LoggedEntry> burst)
    {
        await deferral.DeferAsync(() => _host.Status.IsLeader || !_waiting.IsEmpty, _stopping.Token).ConfigureAwait(false);
        var next = burst[^1].Lsn + 1;
        if (_stopping.IsCancellationRequested || _host.Status.CommittedLsn < next)
        {
            return burst;
        }

        IReadOnlyList<LoggedEntry> more;
        try
        {
            more = await _host.ReadCommittedAsync(next, ReadBatch - burst.Count, _stopping.Token).ConfigureAwait(false);
        }
        catch (EntriesCheckpointedException)
        {
            // The host took its leader's checkpoint meanwhile: the burst (committed entries) is applied, and the next read
            // finds the checkpoint.
            return burst;
        }

        return [.. burst, .. more];
    }

    /// <summary>
    /// Rebuilds the local log from the host's checkpoint when it lies above what was applied (at start: any checkpoint);
    /// <paramref name="replacing"/>: the host replaced its log by a leader's checkpoint while this applier ran. Retries a
    /// failed restore after a back-off and applies nothing meanwhile (<see cref="CommittedEntryApplierCheckpoints.RestoreAsync"/>).
    /// </summary>
    private async Task RestoreFromCheckpointAsync(bool replacing)
    {
        var checkpoints = _checkpoints!;
        if (await checkpoints.RestoreAsync(_local, AppliedLsn, replacing, FailWaiting, _stopping.Token).ConfigureAwait(false) is { } restored)
        {
            _local = restored.Log;
            checkpoints.Restored(restored.Lsn, _progress.Set);
            Advanced();
        }
    }

    private void Advanced() => _progress.Signal();

    private void FailWaiting(Exception exception) => _waiting.FailAll(exception);
}
