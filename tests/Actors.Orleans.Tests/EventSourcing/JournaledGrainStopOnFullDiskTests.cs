using System.Diagnostics;
using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;
using Orleans.Runtime;

namespace Actors.Orleans.Tests.EventSourcing;

/// <summary>
/// A graceful stop while a journaled grain's batch waits for space (the silo's log on a file system that refuses new
/// segments with ENOSPC while told to): the silo stops without waiting for Orleans's 30 s deactivation timeout, and the
/// waiting call fails instead of hanging.
/// </summary>
[Trait("Category", "Integration")]
public sealed class JournaledGrainStopOnFullDiskTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    /// <summary>Far below Orleans's 30 s deactivation timeout, which a batch retried through the stop would run into.</summary>
    private static readonly TimeSpan QuickStop = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task StopAsync_JournaledBatchWaitingForSpace_StopsQuicklyAndTheCallFailsNamingTheFullDevice()
    {
        var files = new SegmentCreationRefusingFileSystem();
        await using var cluster = await SimulatedDiskCluster.StartAsync(files, _directory.Sub("wal"));
        var journal = cluster.GrainFactory.GetGrain<ICounterJournalGrain>("journal");
        await journal.Add(1);

        // Fill the active segment until a state write needs a new segment, which the full device refuses.
        files.Full = true;
        var filler = cluster.GrainFactory.GetGrain<IAppendStateGrain>("filler");
        bool refused = false;
        for (int i = 0; i < 100 && !refused; i++)
        {
            try
            {
                await filler.Append(i, paddingBytes: 6000);
            }
            catch (WriteAheadLogOperationException)
            {
                refused = true;
            }
        }

        Assert.True(refused, "expected a state write to be refused for want of a new segment within 100 writes of 6,000 bytes");

        // The journal's batch does not fit the active segment either: Orleans retries it (the grain reports the issue).
        Task<CounterView> waiting = journal.AddMany([.. Enumerable.Range(0, 400).Select(_ => 10)]);
        await Eventually.TrueAsync(async () => await journal.LastIssue() is not null, Deadline, "the journal reporting its refused batch as a connection issue");
        Assert.False(waiting.IsCompleted, "the refused batch must wait for space, not complete");

        var clock = Stopwatch.StartNew();
        await cluster.StopSiloAsync(cluster.Primary!).WaitAsync(Deadline); // the client stays, to receive the waiting call's answer
        TimeSpan stop = clock.Elapsed;

        Assert.True(stop < QuickStop, $"stopping the silo with a journaled batch waiting for space took {stop.TotalSeconds:F1} s; expected under {QuickStop.TotalSeconds:F0} s");

        // The grain answers with the provider's error ("not retried: the silo is stopping", the full device, nothing stored:
        // the real-process test in tests/Actors.Orleans.Client.Tests checks that text); this in-process client may instead
        // get Orleans's own "shutting down" error. Either way the call ends, unstored.
        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => waiting.WaitAsync(Deadline));
        Assert.True(
            error.Message.Contains("the silo is stopping", StringComparison.Ordinal) || error is SiloUnavailableException,
            $"the waiting call must fail with the provider's error or Orleans's shutdown error; it got {error.GetType().FullName}: {error.Message}");
    }
}
