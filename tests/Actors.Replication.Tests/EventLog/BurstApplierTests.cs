using System.Text;
using Actors.Replication.Wal.EventLog;
using Actors.Wal;
using Actors.Wal.Entries;

namespace Actors.Replication.Tests.EventLog;

/// <summary>
/// A burst of committed entries applied to a replica's materialized <see cref="WriteAheadLog"/> (issue 61): its writes go
/// to the log as one group, so a log that commits on the calling thread commits once per burst (it committed once per
/// write before), while each proposer still gets its own outcome in LSN order, and an erase inside the burst sees every
/// write before it.
/// </summary>
public sealed class BurstApplierTests : IDisposable
{
    private static readonly TimeSpan HangBound = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _directory = new("actors-burst-applier-tests");
    private readonly ProposedWritePool _completions = new();
    private readonly ProposalWaiters _waiters = new();
    private readonly AppliedProgress _progress = new();

    [Fact]
    public async Task ApplyAsync_BurstOfWritesOnACommitOnCallingThreadLog_OneCommitAndEachProposerGetsItsOwnOutcome()
    {
        await using var log = await OpenAsync(commitOnCallingThread: true);
        var bursts = new BurstApplier(_waiters, _progress);
        var proposals = new Proposals(_completions, _waiters);
        // 3 entries, 12 operations: appends to 4 streams, one conflicting, a checkpoint and a stream deletion.
        var entries = new[]
        {
            Entry(1, proposals.Append("cart/1", ExpectedVersion.NoStream, "created"), proposals.Append("cart/2", ExpectedVersion.NoStream, "created"),
                proposals.Append("cart/3", ExpectedVersion.NoStream, "created"), proposals.Append("cart/4", ExpectedVersion.NoStream, "created")),
            Entry(2, proposals.Append("cart/1", 1, "item a"), proposals.Append("cart/1", 1, "item b"), proposals.Append("cart/2", 1, "item c"),
                proposals.Checkpoint("cart/2", 2, "state@2")),
            Entry(3, proposals.Append("cart/3", 1, "item d"), proposals.Delete("cart/4", 1), proposals.Append("cart/1", 2, "item e"),
                proposals.Append("cart/3", 2, "item f")),
        };
        long commitsBefore = log.GetStatistics().Commits;

        await bursts.ApplyAsync(entries, log).WaitAsync(HangBound);

        Assert.Equal(1, log.GetStatistics().Commits - commitsBefore);
        Assert.Equal(3, _progress.Lsn);
        Assert.True(_waiters.IsEmpty, "a proposer was not completed");
        Assert.Equal(new long[] { 1, 1, 1, 1, 2 }, await proposals.AppendVersionsAsync(0, 1, 2, 3, 4));
        var conflict = await Assert.ThrowsAsync<StreamVersionConflictException>(() => proposals.Outcome(5));
        Assert.Equal(2, conflict.ActualVersion);
        Assert.Equal(new long[] { 2, 2, 3, 3 }, await proposals.AppendVersionsAsync(6, 8, 10, 11));
        Assert.Equal(2, ((CheckpointResult)await proposals.Outcome(7)).Version);
        Assert.Equal(1, ((AppendResult)await proposals.Outcome(9)).LastVersion);
        Assert.Equal(["created", "item a", "item e"], (await log.ReadStreamAsync("cart/1")).Events.Select(e => Text(e.Payload)));
        Assert.True(log.GetStreamInfo("cart/4").IsDeleted, "cart/4 is not deleted");
    }

    [Fact]
    public async Task ApplyAsync_EraseInsideTheBurst_SeesEveryWriteBeforeItAndTheWritesAfterItFollow()
    {
        await using var log = await OpenAsync(commitOnCallingThread: true);
        var bursts = new BurstApplier(_waiters, _progress);
        var proposals = new Proposals(_completions, _waiters);
        var entries = new[]
        {
            Entry(1, proposals.Append("s", ExpectedVersion.NoStream, "a", "b", "c"), proposals.Checkpoint("s", 2, "state@2")),
            Entry(2, proposals.Erase("s", 2), proposals.Append("s", 3, "d")),
            Entry(3, proposals.Append("s", 4, "e")),
        };
        long commitsBefore = log.GetStatistics().Commits;

        await bursts.ApplyAsync(entries, log).WaitAsync(HangBound);

        Assert.Equal(3, _progress.Lsn);
        Assert.Equal(3, ((AppendResult)await proposals.Outcome(0)).LastVersion);
        Assert.Equal(2, ((CheckpointResult)await proposals.Outcome(1)).Version);
        Assert.IsType<EraseResult>(await proposals.Outcome(2)); // refused (out of range) had it not seen the append before it
        Assert.Equal(new long[] { 4, 5 }, await proposals.AppendVersionsAsync(3, 4));
        var read = await log.ReadStreamAsync("s");
        Assert.Equal(["c", "d", "e"], read.Events.Select(e => Text(e.Payload)));
        // The writes before the erase and those after it: one commit each (the erase's own records come on top).
        Assert.True(log.GetStatistics().Commits - commitsBefore >= 2, $"{log.GetStatistics().Commits - commitsBefore} commits");
    }

    [Fact]
    public async Task ApplyAsync_OnALogWithACommitterThread_AppliesEveryWriteInOrder()
    {
        await using var log = await OpenAsync(commitOnCallingThread: false);
        var bursts = new BurstApplier(_waiters, _progress);
        var proposals = new Proposals(_completions, _waiters);
        var entries = Enumerable.Range(0, 20)
            .Select(i => Entry(i + 1, proposals.Append("s", i * 2, $"e{2 * i}", $"e{(2 * i) + 1}"), proposals.Append($"other/{i}", ExpectedVersion.NoStream, "x")))
            .ToArray();

        await bursts.ApplyAsync(entries, log).WaitAsync(HangBound);

        Assert.Equal(20, _progress.Lsn);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)(2 * i)), await proposals.AppendVersionsAsync(Enumerable.Range(0, 20).Select(i => 2 * i).ToArray()));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"e{i}"), (await log.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
    }

    public void Dispose() => _directory.Dispose();

    private ValueTask<WriteAheadLog> OpenAsync(bool commitOnCallingThread) => WriteAheadLog.OpenAsync(new WriteAheadLogOptions
    {
        Directory = _directory.Path,
        SegmentSizeBytes = 1024 * 1024,
        MaxRecordSizeBytes = 64 * 1024,
        PreallocateSegments = false,
        SyncPolicy = commitOnCallingThread ? SyncPolicy.None : SyncPolicy.Always,
        CommitOnCallingThread = commitOnCallingThread,
    });

    private static LoggedEntry Entry(long lsn, params byte[][] operations) => new(lsn, 1, ReplicatedOperationBatch.Encode(operations));

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    /// <summary>Encoded operations, each registered with the waiters as a proposer would (by its index, in creation order).</summary>
    private sealed class Proposals(ProposedWritePool completions, ProposalWaiters waiters)
    {
        private readonly List<ValueTask<object>> _outcomes = [];

        public byte[] Append(string streamId, long expectedVersion, params string[] events)
            => Propose(ReplicatedOperationKind.Append, streamId, expectedVersion, events.Select(e => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(e)).ToArray());

        public byte[] Checkpoint(string streamId, long version, string state)
            => Propose(ReplicatedOperationKind.Checkpoint, streamId, version, [Encoding.UTF8.GetBytes(state)]);

        public byte[] Delete(string streamId, long expectedVersion) => Propose(ReplicatedOperationKind.DeleteStream, streamId, expectedVersion, []);

        public byte[] Erase(string streamId, long toVersion) => Propose(ReplicatedOperationKind.EraseEvents, streamId, toVersion, []);

        /// <summary>The outcome of the operation created <paramref name="index"/>th (an append's result boxed); await it once.</summary>
        public Task<object> Outcome(int index) => _outcomes[index].AsTask();

        public async Task<long[]> AppendVersionsAsync(params int[] indexes)
        {
            var versions = new long[indexes.Length];
            for (var i = 0; i < indexes.Length; i++)
            {
                versions[i] = ((AppendResult)await Outcome(indexes[i])).LastVersion;
            }

            return versions;
        }

        private byte[] Propose(ReplicatedOperationKind kind, string streamId, long version, ReadOnlyMemory<byte>[] items)
        {
            var operationId = Guid.NewGuid();
            var completion = completions.Rent();
            waiters.Register(operationId, completion);
            _outcomes.Add(completion.AsResultTask());
            return new ReplicatedOperation(kind, operationId, streamId, version, items).Encode();
        }
    }
}
