using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;

namespace Actors.Orleans.Tests.EventSourcing;

/// <summary>
/// A journaled grain on a full device (the silo's log on a file system that refuses new segments with ENOSPC while told
/// to: a device with no room for the next segment): its batch is refused with the error naming the full device, which
/// Orleans reports as the grain's connection issue while it retries; other grains' durable states keep being read; once
/// space returns the batch is stored without anything else being done.
/// </summary>
[Trait("Category", "Integration")]
public sealed class JournaledGrainDiskFullTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ConfirmEvents_DeviceFull_IssueNamesTheFullDeviceReadsServeAndTheBatchIsStoredOnceSpaceReturns()
    {
        var files = new SegmentCreationRefusingFileSystem();
        await using var cluster = await SimulatedDiskCluster.StartAsync(files, _directory.Sub("wal"));
        for (int i = 0; i < 3; i++)
        {
            await cluster.GrainFactory.GetGrain<IAppendStateGrain>($"durable-{i}").Append(i, paddingBytes: 100);
        }

        var journal = cluster.GrainFactory.GetGrain<ICounterJournalGrain>("journal");
        await journal.Add(1);

        // Fill the active segment until a state write needs a new segment, which the full device refuses.
        files.Full = true;
        WriteAheadLogOperationException? refusal = null;
        var filler = cluster.GrainFactory.GetGrain<IAppendStateGrain>("filler");
        for (int i = 0; i < 100 && refusal is null; i++)
        {
            try
            {
                await filler.Append(i, paddingBytes: 6000);
            }
            catch (WriteAheadLogOperationException ex)
            {
                refusal = ex;
            }
        }

        Assert.NotNull(refusal);
        Assert.Contains("No space left on the device", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("WriteAheadLog:SegmentSizeBytes", refusal.Message, StringComparison.Ordinal); // the setting as the user sets it, not the engine's option

        // The journal's batch does not fit the active segment either: refused, reported, retried.
        Task<CounterView> pending = journal.AddMany([.. Enumerable.Range(0, 400).Select(_ => 10)]);
        string? issue = null;
        var deadline = DateTime.UtcNow + Deadline;
        while ((issue = await journal.LastIssue()) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no connection issue reported within {Deadline.TotalSeconds} s; the batch {(pending.IsCompleted ? "completed" : "is pending")}");
            await Task.Delay(20);
        }

        Assert.Contains("No space left on the device", issue, StringComparison.Ordinal);
        Assert.False(pending.IsCompleted, "the refused batch must wait for space, not complete");

        for (int i = 0; i < 3; i++)
        {
            var durable = cluster.GrainFactory.GetGrain<IAppendStateGrain>($"durable-{i}");
            await durable.Deactivate();
            Assert.Equal([i], await durable.Items()); // a fresh activation reads its durable state
        }

        files.Full = false;
        CounterView stored = await pending.WaitAsync(Deadline);

        Assert.Equal(1 + 400 * 10, stored.Total);
        Assert.Equal(401, stored.Count);
    }
}
