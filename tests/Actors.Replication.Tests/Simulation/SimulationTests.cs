using System.Collections.Concurrent;
using System.Diagnostics;
using Actors.Replication.Protocol;
using Xunit.Abstractions;

namespace Actors.Replication.Tests.Simulation;

/// <summary>
/// The protocol under the deterministic simulator. CI runs 10,000 seeds; <c>scripts/replication-sim.sh N</c> runs the
/// same test with more (REPLICATION_SIM_SEEDS, REPLICATION_SIM_FIRST_SEED, REPLICATION_SIM_REPORT).
/// </summary>
public sealed class SimulationTests(ITestOutputHelper output)
{
    private const int DefaultSeedCount = 10_000;

    [Fact]
    public void Simulate_ManySeeds_NoAcknowledgedEntryLostOneLeaderPerEpochNoStaleReadReplicasConverge()
    {
        var count = EnvironmentInt64("REPLICATION_SIM_SEEDS") ?? DefaultSeedCount;
        var first = EnvironmentInt64("REPLICATION_SIM_FIRST_SEED") ?? 1;
        var report = Environment.GetEnvironmentVariable("REPLICATION_SIM_REPORT");
        var failures = new ConcurrentBag<SimulationResult>();
        long executed = 0, acknowledged = 0, leaderChanges = 0, crashes = 0, reads = 0, prefixDeletions = 0, checkpointInstalls = 0;
        long handOvers = 0, handOversCompleted = 0;
        var stopwatch = Stopwatch.StartNew();
        Parallel.For(first, first + count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, seed =>
        {
            var result = Simulation.RunSeed(seed);
            Interlocked.Add(ref acknowledged, result.Acknowledged);
            Interlocked.Add(ref leaderChanges, result.LeaderChanges);
            Interlocked.Add(ref crashes, result.Crashes);
            Interlocked.Add(ref reads, result.ReadsServed);
            Interlocked.Add(ref prefixDeletions, result.PrefixDeletions);
            Interlocked.Add(ref checkpointInstalls, result.CheckpointInstalls);
            Interlocked.Add(ref handOvers, result.HandOvers);
            Interlocked.Add(ref handOversCompleted, result.HandOversCompleted);
            if (!result.Passed)
            {
                failures.Add(result);
            }

            var done = Interlocked.Increment(ref executed);
            if (report is not null && done % 10_000 == 0)
            {
                lock (failures)
                {
                    File.AppendAllText(report, $"{DateTime.UtcNow:O} {done} of {count} seeds executed, {failures.Count} failing\n");
                }
            }
        });

        var summary = $"seeds {first}..{first + count - 1}: {executed} executed in {stopwatch.Elapsed.TotalSeconds:F1} s, "
            + $"{acknowledged} appends acknowledged, {reads} reads served under a lease, {leaderChanges} leader changes, {crashes} crashes, "
            + $"{prefixDeletions} prefix deletions, {checkpointInstalls} checkpoint installs, "
            + $"{handOversCompleted} of {handOvers} hand-overs completed, {failures.Count} failing";
        if (report is not null)
        {
            File.AppendAllLines(report, [summary, .. failures.OrderBy(f => f.Seed).Take(50).Select(f => $"FAILURE {f}")]);
        }

        output.WriteLine(summary);
        Assert.True(failures.IsEmpty, $"{summary}\n{string.Join("\n", failures.OrderBy(f => f.Seed).Take(5))}");
        Assert.True(acknowledged > count * 10, $"the runs acknowledged too little to mean anything: {summary}");
        Assert.True(leaderChanges > count / 2, $"the runs changed leaders too rarely to mean anything: {summary}");
        Assert.True(reads > count * 20, $"the runs served too few reads under a lease to mean anything: {summary}");
        Assert.True(prefixDeletions > count, $"the runs deleted log prefixes too rarely to mean anything: {summary}");
        Assert.True(handOversCompleted > count / 10, $"the runs completed hand-overs too rarely to mean anything: {summary}");
        Assert.True(checkpointInstalls > count / 10, $"followers took transferred checkpoints too rarely to mean anything: {summary}");
    }

    [Fact]
    public void Simulate_ReplicaSetChanges_NoAcknowledgedEntryLostAndEveryReplicaBackInSync()
    {
        const int Seeds = 2_000;
        var failures = new ConcurrentBag<SimulationResult>();
        long changes = 0, acknowledged = 0, retirements = 0, reAdded = 0;
        Parallel.For(1, Seeds + 1, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, seed =>
        {
            var result = Simulation.RunSeed(seed, replicaSetChanges: true);
            Interlocked.Add(ref changes, result.ReplicaSetChanges);
            Interlocked.Add(ref acknowledged, result.Acknowledged);
            Interlocked.Add(ref retirements, result.Retirements);
            Interlocked.Add(ref reAdded, result.RetiredReAdded);
            if (!result.Passed)
            {
                failures.Add(result);
            }
        });

        var summary = $"seeds 1..{Seeds} with replica-set changes: {changes} changes proposed, {retirements} removed replicas stopped and wiped ({reAdded} added back empty), {acknowledged} appends acknowledged, {failures.Count} failing";
        output.WriteLine(summary);
        Assert.True(failures.IsEmpty, $"{summary}\n{string.Join("\n", failures.OrderBy(f => f.Seed).Take(5))}");
        Assert.True(changes > Seeds / 2, $"the runs changed replica sets too rarely to mean anything: {summary}");
        Assert.True(reAdded > Seeds / 10, $"the runs added wiped replicas back too rarely to mean anything: {summary}");
    }

    [Fact]
    public void Simulate_AddedReplicaJoinsInSyncBeforeCatchingUp_SomeSeedLosesAnAcknowledgedEntry()
    {
        var faults = new ReplicaFaults { AddReplicaInSync = true };
        SimulationResult? failing = null;
        for (var seed = 1; seed <= 5_000 && failing is null; seed++)
        {
            var result = Simulation.RunSeed(seed, faults, replicaSetChanges: true);
            failing = result.Passed ? null : result;
        }

        Assert.True(failing is not null, "AddReplicaInSync: no seed of 1..5000 found a violation");
        output.WriteLine($"AddReplicaInSync: first failing seed {failing}");
        Assert.Equal(failing.Violation, Simulation.RunSeed(failing.Seed, faults, replicaSetChanges: true).Violation);
        Assert.Matches("without entry|different entries|missing", failing.Violation);
    }

    [Fact]
    public void Simulate_ReplicaMoves_NoAcknowledgedEntryLostAndEveryReplicaBackInSync()
    {
        const int Seeds = 2_000;
        var failures = new ConcurrentBag<SimulationResult>();
        long changes = 0, inSyncRemovals = 0, acknowledged = 0, retirements = 0, reAdded = 0;
        Parallel.For(1, Seeds + 1, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, seed =>
        {
            var result = Simulation.RunSeed(seed, replicaMoves: true);
            Interlocked.Add(ref changes, result.ReplicaSetChanges);
            Interlocked.Add(ref inSyncRemovals, result.InSyncRemovals);
            Interlocked.Add(ref acknowledged, result.Acknowledged);
            Interlocked.Add(ref retirements, result.Retirements);
            Interlocked.Add(ref reAdded, result.RetiredReAdded);
            if (!result.Passed)
            {
                failures.Add(result);
            }
        });

        var summary = $"seeds 1..{Seeds} with replica moves: {changes} changes proposed, {inSyncRemovals} of them removals of an in-sync follower, {retirements} removed replicas stopped and wiped ({reAdded} added back empty), {acknowledged} appends acknowledged, {failures.Count} failing";
        output.WriteLine(summary);
        Assert.True(failures.IsEmpty, $"{summary}\n{string.Join("\n", failures.OrderBy(f => f.Seed).Take(5))}");
        Assert.True(inSyncRemovals > Seeds / 2, $"the runs removed in-sync followers too rarely to mean anything: {summary}");
        Assert.True(reAdded > Seeds / 10, $"the runs added wiped replicas back too rarely to mean anything: {summary}");
    }

    [Fact]
    public void Simulate_RemovedFollowerNotAwaitedBeforeTheStoreAccepts_SomeSeedLosesAnAcknowledgedEntry()
    {
        var faults = new ReplicaFaults { RemovedFollowerNotAwaited = true };
        SimulationResult? failing = null;
        for (var seed = 1; seed <= 5_000 && failing is null; seed++)
        {
            var result = Simulation.RunSeed(seed, faults, replicaMoves: true);
            failing = result.Passed ? null : result;
        }

        Assert.True(failing is not null, "RemovedFollowerNotAwaited: no seed of 1..5000 found a violation");
        output.WriteLine($"RemovedFollowerNotAwaited: first failing seed {failing}");
        Assert.Equal(failing.Violation, Simulation.RunSeed(failing.Seed, faults, replicaMoves: true).Violation);
        Assert.Matches("without entry|different entries|missing", failing.Violation);
    }

    [Fact]
    public void Simulate_SameSeedTwice_ReplaysEventForEvent()
    {
        for (var seed = 1; seed <= 20; seed++)
        {
            var first = Simulation.RunSeed(seed, trace: true);
            var second = Simulation.RunSeed(seed, trace: true);
            Assert.Equal(first.Events, second.Events);
            Assert.Equal(first.TraceHash, second.TraceHash);
            Assert.Equal(first.Trace!, second.Trace!);
            Assert.Equal(first.Violation, second.Violation);
        }

        Assert.NotEqual(Simulation.RunSeed(1).TraceHash, Simulation.RunSeed(2).TraceHash);
    }

    public static TheoryData<string> BrokenVariants =>
        ["AcknowledgeBeforeFollowerSync", "ShrinkInSyncBeforeStoreAccepts", "ElectOutsideInSync", "ReadLeaseTooLong",
         "DeletePrefixBeforeCheckpointDurable", "HandOverOutsideInSync", "InSyncFloorOfOne",
         "ElectWithoutBackOff"];

    [Theory]
    [MemberData(nameof(BrokenVariants))]
    public void Simulate_DeliberatelyBrokenProtocol_SomeSeedFindsTheViolationAndReplaysIt(string variant)
    {
        var faults = variant switch
        {
            "AcknowledgeBeforeFollowerSync" => new ReplicaFaults { AcknowledgeBeforeFollowerSync = true },
            "ShrinkInSyncBeforeStoreAccepts" => new ReplicaFaults { ShrinkInSyncBeforeStoreAccepts = true },
            "ElectOutsideInSync" => new ReplicaFaults { ElectOutsideInSync = true },
            "ReadLeaseTooLong" => new ReplicaFaults { ReadLeaseTooLong = true },
            "DeletePrefixBeforeCheckpointDurable" => new ReplicaFaults { DeletePrefixBeforeCheckpointDurable = true },
            "HandOverOutsideInSync" => new ReplicaFaults { HandOverOutsideInSync = true },
            "InSyncFloorOfOne" => new ReplicaFaults { InSyncFloorOfOne = true },
            "ElectWithoutBackOff" => new ReplicaFaults { ElectWithoutBackOff = true },
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown variant"),
        };

        SimulationResult? failing = null;
        for (var seed = 1; seed <= 5_000 && failing is null; seed++)
        {
            var result = Simulation.RunSeed(seed, faults);
            failing = result.Passed ? null : result;
        }

        Assert.True(failing is not null, $"{variant}: no seed of 1..5000 found a violation");
        output.WriteLine($"{variant}: first failing seed {failing}");
        var replay = Simulation.RunSeed(failing.Seed, faults);
        Assert.Equal(failing.Violation, replay.Violation);
        Assert.Equal(failing.TraceHash, replay.TraceHash);
        Assert.Matches(
            variant switch
            {
                "ReadLeaseTooLong" => "stale read",
                "InSyncFloorOfOne" => "link cut of .* no other replica acknowledged",
                "ElectWithoutBackOff" => "link cut of .* (no other replica acknowledged|the lead moved on during the cut)",
                _ => "without entry|different entries|missing",
            },
            failing.Violation);
    }

    /// <summary>
    /// Replays one seed with a full trace: <c>REPLICATION_SIM_SEED=N REPLICATION_SIM_TRACE=1</c> (the line a failing
    /// run prints; REPLICATION_SIM_MODE=changes or moves for the runs with replica-set changes or moves). The trace goes to
    /// REPLICATION_SIM_TRACE_FILE or a file under the temp directory. Without the variable it replays seed 1.
    /// </summary>
    [Fact]
    public void ReplaySeedFromEnvironment()
    {
        var seed = EnvironmentInt64("REPLICATION_SIM_SEED") ?? 1;
        var trace = Environment.GetEnvironmentVariable("REPLICATION_SIM_TRACE") == "1";
        var mode = Environment.GetEnvironmentVariable("REPLICATION_SIM_MODE");
        var result = Simulation.RunSeed(seed, trace: trace, replicaSetChanges: mode == "changes", replicaMoves: mode == "moves");
        if (result.Trace is not null)
        {
            var path = Environment.GetEnvironmentVariable("REPLICATION_SIM_TRACE_FILE")
                ?? Path.Combine(Path.GetTempPath(), $"replication-sim-{seed}.trace");
            File.WriteAllLines(path, [.. result.Trace, result.ToString()]);
        }

        Assert.True(result.Passed, result.ToString());
    }

    private static long? EnvironmentInt64(string name) =>
        long.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : null;
}
